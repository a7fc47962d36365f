import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Clock } from '../clock'
import type { SampleBatch } from '../sampler/sample-source'
import type { Delivery, Outlet } from './delivery'
import type { ReplayBuffer } from './replay-buffer'
import { ReplayPump } from './replay-pump'
import { clampResume, parseResume } from './resume-point'
import { samplesPayload } from './samples-payload'
import type { ServerStats } from './server-stats'

/** Options of {@link SseChannel}. */
export interface SseChannelOptions {
  clock: Clock
  delivery: Delivery
  stats: ServerStats
  replay: ReplayBuffer
  /** Sequence number the next live broadcast starts with (see ReplayPump). */
  liveFrom: () => number
  /** The replay pump waits for a drain while more than this is buffered, bytes. */
  replayHighWaterBytes: number
  /** A comment line goes out when a consumer has heard nothing for this many ms (keeps proxies open). */
  keepAliveMs: number
  /** This run's id (see `HelloMessage.streamId`). */
  streamId: string
  /** The JSON `hello` message, sent first on every stream. */
  hello: () => string
}

/** One SSE consumer. */
class SseConnection implements Outlet {
  /** False while a resume is replayed: broadcasts skip the consumer until then. */
  live = true
  lastWriteMs: number
  readonly query: URLSearchParams
  readonly path: string
  readonly remoteAddress: string

  constructor(
    readonly response: ServerResponse,
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

  dropSlow(): void {
    this.response.destroy()
  }
}

const KEEP_ALIVE = Buffer.from(': keep-alive\n\n')

/**
 * Server-Sent Events for one-way consumers. Each `samples` event carries `id:` = the sequence
 * number of its last sample, so a browser's automatic reconnect (which sends `Last-Event-ID`)
 * resumes exactly where it stopped. `?after=N` does the same for clients that cannot set headers.
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
    const { clock, delivery, stats, streamId } = this.#options
    const consumer = new SseConnection(response, request, url, clock.monotonicMs())
    const lastEventId = request.headers['last-event-id']
    const resume = parseResume(
      {
        after: typeof lastEventId === 'string' ? lastEventId : url.searchParams.get('after'),
        stream: url.searchParams.get('stream')
      },
      streamId
    )
    delivery.send(
      consumer,
      Buffer.from(`retry: 1000\nevent: hello\ndata: ${this.#options.hello()}\n\n`),
      1
    )
    this.#consumers.add(consumer)
    stats.connectionOpened(consumer.path)
    response.on('close', () => this.#forget(consumer))
    if (resume.ok && resume.afterSeq !== null) this.#replay(consumer, resume.afterSeq)
  }

  /** Sends a batch of samples to every live consumer. */
  publishSamples(batch: SampleBatch, json: string): void {
    const lastSeq = batch.firstSeq + batch.values.length - 1
    this.#publish(`event: samples\nid: ${lastSeq}\ndata: ${json}\n\n`)
  }

  /** Sends a `state` event to every live consumer. */
  publishState(json: string): void {
    this.#publish(`event: state\ndata: ${json}\n\n`)
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

  #publish(event: string): void {
    if (this.#consumers.size === 0) return
    // Encoded once; the same bytes go to every consumer.
    const chunk = Buffer.from(event)
    const { clock, delivery } = this.#options
    const now = clock.monotonicMs()
    for (const consumer of this.#consumers) {
      if (!consumer.live) continue
      if (delivery.send(consumer, chunk, 1)) consumer.lastWriteMs = now
      else if (!consumer.isOpen()) this.#forget(consumer)
    }
  }

  #forget(consumer: SseConnection): void {
    if (this.#consumers.delete(consumer)) this.#options.stats.connectionClosed(consumer.path)
  }

  #replay(consumer: SseConnection, afterSeq: number): void {
    const { replay, liveFrom, delivery, replayHighWaterBytes } = this.#options
    const { response } = consumer
    consumer.live = false
    new ReplayPump(
      replay,
      clampResume(afterSeq, replay.nextSeq) + 1,
      liveFrom,
      {
        sendSamples: (chunk) => {
          const lastSeq = chunk.firstSeq + chunk.values.length - 1
          delivery.send(
            consumer,
            Buffer.from(`event: samples\nid: ${lastSeq}\ndata: ${samplesPayload(chunk)}\n\n`),
            1
          )
        },
        sendGap: (from, to) =>
          delivery.send(
            consumer,
            Buffer.from(`event: gap\ndata: ${JSON.stringify({ type: 'gap', from, to })}\n\n`),
            1
          ),
        bufferedBytes: () => response.writableLength,
        onDrain: (resume) => response.once('drain', resume),
        isOpen: () => consumer.isOpen() && this.#consumers.has(consumer),
        goLive: () => {
          consumer.live = true
        }
      },
      replayHighWaterBytes
    ).pump()
  }
}
