import type { IncomingMessage, ServerResponse } from 'node:http'
import { ErrorCode } from '../../shared/error-codes'
import type { Clock } from '../../shared/clock'
import { FaultOutbox } from '../faults/fault-outbox'
import { FaultPlan } from '../faults/fault-plan'
import type { FaultSpec } from '../faults/fault-spec'
import type { SampleBatch } from '../sampler/sample-source'
import type { Delivery, Framer, PushedEvent } from './delivery'
import { lastSeqOf, startReplay, type ReplayConnection, type ReplaySource } from './replay-pump'
import { eventId, parseResume, replayFrom } from './resume-point'
import { samplesPayload, sliceBatch } from './samples-payload'
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
  /**
   * A stalled consumer (the `stall` fault) is cut off once it has heard nothing for this many ms,
   * as a stalled WebSocket is by the heartbeat: SSE has no pings, so nothing else would close it.
   */
  peerTimeoutMs: number
  /** This run's id (see `HelloMessage.streamId`). */
  streamId: string
  /** The JSON `hello` message, sent first on every stream (with the consumer's faults, if any). */
  hello: (faults: FaultSpec | null) => string
}

/** One SSE consumer. */
class SseConnection implements ReplayConnection {
  live = true
  /** The faults this consumer asked for; null (the fast path) when none. */
  faults: FaultOutbox | null = null
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

  accept(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    faults: FaultSpec | null = null
  ): void {
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
      Buffer.from(`retry: 1000\nevent: hello\n${helloId}data: ${this.#options.hello(faults)}\n\n`),
      1
    )
    if (!resume.ok) {
      // The WebSocket path's answer, as an event named so that it does not fire EventSource.onerror.
      const error = { type: 'error', code: ErrorCode.BadMessage, message: resume.message, id: null }
      delivery.send(consumer, Buffer.from(`event: notice\ndata: ${JSON.stringify(error)}\n\n`), 1)
    }
    if (faults) {
      const plan = new FaultPlan(faults, clock.monotonicMs(), (kind, count) =>
        stats.faultApplied(kind, count)
      )
      consumer.faults = new FaultOutbox(plan, clock, {
        write: (bytes, frames) => {
          if (delivery.send(consumer, bytes, frames)) consumer.lastWriteMs = clock.monotonicMs()
        },
        cut: () => response.destroy(),
        // Nothing to stop reading on SSE: it simply stops writing, keep-alives included.
        stall: () => undefined
      })
      response.once('close', () => consumer.faults?.close())
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

  /**
   * Sends a message to every live consumer, framed once (see {@link frame}); a consumer with
   * faults gets it in its place behind what its faults hold back.
   */
  publish(event: PushedEvent, json: string, lastSeq?: number): void {
    if (this.#consumers.size === 0) return
    this.#broadcast(this.frame(event, json, lastSeq), (consumer, chunk) =>
      consumer.faults!.sendMessage(chunk)
    )
  }

  /** Sends a batch of samples (`json` its payload) to every live consumer, as its faults decide. */
  publishSamples(batch: SampleBatch, json: string): void {
    if (this.#consumers.size === 0) return
    const count = batch.values.length
    this.#broadcast(this.frame('samples', json, lastSeqOf(batch)), (consumer, chunk) =>
      consumer.faults!.sendSamples(batch.firstSeq, count, (start, end) => {
        if (start === 0 && end === count) return chunk
        const run = sliceBatch(batch, start, end)
        return this.frame('samples', samplesPayload(run), lastSeqOf(run))
      })
    )
  }

  #broadcast(chunk: Buffer, faulted: (consumer: SseConnection, chunk: Buffer) => void): void {
    const { clock, delivery } = this.#options
    const now = clock.monotonicMs()
    for (const consumer of this.#consumers) {
      if (!consumer.live) continue
      if (consumer.faults !== null) {
        // What its faults hold back counts toward its limit like its socket's buffer.
        if (delivery.admit(consumer, consumer.faults.heldBytes)) faulted(consumer, chunk)
      } else if (delivery.send(consumer, chunk, 1)) consumer.lastWriteMs = now
      else if (!consumer.isOpen()) this.#forget(consumer)
    }
  }

  /** Sends keep-alives to the consumers due one, and cuts off stalled ones past the peer timeout. */
  keepAlive(nowMs: number): void {
    const { delivery, keepAliveMs, peerTimeoutMs } = this.#options
    for (const consumer of this.#consumers) {
      if (consumer.faults?.stalled) {
        if (nowMs - consumer.lastWriteMs > peerTimeoutMs) consumer.response.destroy()
        continue
      }
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
