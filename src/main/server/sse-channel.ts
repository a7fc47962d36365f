import type { IncomingMessage, ServerResponse } from 'node:http'
import { ErrorCode } from '../../shared/error-codes'
import type { Clock } from '../clock'
import type { Delivery, Framer, PushedEvent } from './delivery'
import { startReplay, type ReplayConnection, type ReplaySource } from './replay-pump'
import { eventId, parseResume, replayFrom } from './resume-point'
import type { SentCounters, ServerStats } from './server-stats'

/** Options of {@link SseChannel}. */
export interface SseChannelOptions {
  clock: Clock
  delivery: Delivery
  stats: ServerStats
  /** What resuming consumers are replayed from. */
  history: ReplaySource
  /** A comment line goes out when a consumer has heard nothing for this many ms (keeps proxies open). */
  keepAliveMs: number
  /** This run's id (see `HelloMessage.streamId`). */
  streamId: string
  /** The JSON `hello` message, sent first on every stream. */
  hello: () => string
}

/** One SSE consumer. */
class SseConnection implements ReplayConnection {
  live = true
  lastWriteMs: number
  readonly query: URLSearchParams
  readonly path: string
  readonly remoteAddress: string

  constructor(
    readonly response: ServerResponse,
    readonly sent: SentCounters,
    request: IncomingMessage,
    url: URL,
    nowMs: number
  ) {
    this.path = url.pathname
    this.query = url.searchParams
    this.remoteAddress = request.socket.remoteAddress ?? ''
    this.lastWriteMs = nowMs
  }

  isOpen(): boolean {
    return !this.response.destroyed && !this.response.writableEnded
  }

  bufferedBytes(): number {
    return this.response.writableLength
  }

  write(chunk: Buffer): void {
    this.response.write(chunk)
  }

  onDrain(resume: () => void): void {
    this.response.once('drain', resume)
  }

  dropSlow(): void {
    this.response.destroy()
  }
}

const KEEP_ALIVE = Buffer.from(': keep-alive\n\n')

/**
 * Server-Sent Events for one-way consumers. Each `samples` event carries `id: <streamId>:<seq>`
 * (its run and its last sample), so a browser's automatic reconnect (which sends
 * `Last-Event-ID`) resumes exactly where it stopped, and after a server restart replays the new
 * run from its start instead of splicing two runs. `?after=` does the same for clients that
 * cannot set headers; resume points are read as on the WebSocket path.
 */
export class SseChannel {
  readonly #options: SseChannelOptions
  readonly #consumers = new Set<SseConnection>()

  constructor(options: SseChannelOptions) {
    this.#options = options
  }

  get size(): number {
    return this.#consumers.size
  }

  /** Consumers still being replayed what they missed. */
  get replaying(): number {
    let count = 0
    for (const consumer of this.#consumers) if (!consumer.live) count++
    return count
  }

  accept(request: IncomingMessage, response: ServerResponse, url: URL): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      // Reading the stream is open to any origin on purpose (it is what the app is for).
      'Access-Control-Allow-Origin': '*'
    })
    if (request.method === 'HEAD') return void response.end()
    const { clock, delivery, stats, streamId, history } = this.#options
    const consumer = new SseConnection(response, stats.sent.sse, request, url, clock.monotonicMs())
    const lastEventId = request.headers['last-event-id']
    const resume = parseResume(
      {
        after: typeof lastEventId === 'string' ? lastEventId : url.searchParams.get('after'),
        stream: url.searchParams.get('stream')
      },
      streamId
    )
    const replaying = resume.ok && resume.afterSeq !== null
    // A live consumer's hello carries the id of the last sample before its first one, so that
    // a reconnect before any sample still resumes losslessly; a replay's samples carry theirs.
    const helloId = replaying ? '' : `id: ${eventId(streamId, history.liveFrom() - 1)}\n`
    delivery.send(
      consumer,
      Buffer.from(`retry: 1000\nevent: hello\n${helloId}data: ${this.#options.hello()}\n\n`),
      1
    )
    if (!resume.ok) {
      // The WebSocket path's answer, as an event named so that it does not fire EventSource.onerror.
      const error = { type: 'error', code: ErrorCode.BadMessage, message: resume.message, id: null }
      delivery.send(consumer, Buffer.from(`event: notice\ndata: ${JSON.stringify(error)}\n\n`), 1)
    }
    this.#consumers.add(consumer)
    stats.connectionOpened(consumer.path)
    response.on('close', () => this.#forget(consumer))
    if (resume.ok && resume.afterSeq !== null) {
      startReplay(
        consumer,
        replayFrom(resume.afterSeq, history.buffer.nextSeq),
        this.frame,
        history
      )
    }
  }

  /**
   * Frames a message as an event; a `samples` event's id names the run and its last sample,
   * for `Last-Event-ID`.
   */
  frame: Framer = (event, json, lastSeq) => {
    const id = lastSeq === undefined ? '' : `id: ${eventId(this.#options.streamId, lastSeq)}\n`
    return Buffer.from(`event: ${event}\n${id}data: ${json}\n\n`)
  }

  /** Sends a message to every live consumer, framed once (see {@link frame}). */
  publish(event: PushedEvent, json: string, lastSeq?: number): void {
    if (this.#consumers.size === 0) return
    const chunk = this.frame(event, json, lastSeq)
    const { clock, delivery } = this.#options
    const now = clock.monotonicMs()
    for (const consumer of this.#consumers) {
      if (!consumer.live) continue
      if (delivery.send(consumer, chunk, 1)) consumer.lastWriteMs = now
      else if (!consumer.isOpen()) this.#forget(consumer)
    }
  }

  keepAlive(nowMs: number): void {
    const { delivery, keepAliveMs } = this.#options
    for (const consumer of this.#consumers) {
      if (nowMs - consumer.lastWriteMs >= keepAliveMs) {
        delivery.send(consumer, KEEP_ALIVE, 0)
        consumer.lastWriteMs = nowMs
      }
    }
  }

  closeAll(): void {
    for (const consumer of this.#consumers) {
      consumer.response.end()
      this.#forget(consumer)
    }
  }

  #forget(consumer: SseConnection): void {
    if (this.#consumers.delete(consumer)) this.#options.stats.connectionClosed(consumer.path)
  }
}
