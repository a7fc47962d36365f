import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ReplayBuffer } from './replay-buffer'
import { ReplayPump } from './replay-pump'
import { clampResume } from './resume-point'
import { samplesPayload } from './samples-payload'

/** Options of {@link SseChannel}. */
export interface SseChannelOptions {
  replay: ReplayBuffer
  /** Sequence number the next live broadcast starts with (see ReplayPump). */
  liveFrom: () => number
  /** Unsent bytes past which a consumer is cut off (it can resume with Last-Event-ID). */
  maxBufferedBytes: number
  /** A comment line goes out when a consumer has heard nothing for this many ms (keeps proxies open). */
  keepAliveMs: number
  /** The JSON `hello` message, sent first on every stream. */
  hello: () => string
  onDelivered: (count: number) => void
}

interface Consumer {
  response: ServerResponse
  lastWriteMs: number
  /** False while a resume is replayed: broadcasts skip the consumer until then. */
  live: boolean
}

/**
 * Server-Sent Events for one-way consumers. Each `samples` event carries `id:` = the sequence
 * number of its last sample, so a browser's automatic reconnect (which sends `Last-Event-ID`)
 * resumes exactly where it stopped. `?after=N` does the same for clients that cannot set headers.
 */
export class SseChannel {
  readonly #options: SseChannelOptions
  readonly #consumers = new Set<Consumer>()

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
    const consumer: Consumer = { response, lastWriteMs: Date.now(), live: true }
    response.write(`retry: 1000\nevent: hello\ndata: ${this.#options.hello()}\n\n`)
    const lastEventId = request.headers['last-event-id'] ?? url.searchParams.get('after')
    const afterSeq =
      typeof lastEventId === 'string' && /^\d{1,15}$/.test(lastEventId.trim())
        ? Number(lastEventId)
        : null
    this.#consumers.add(consumer)
    response.on('close', () => this.#consumers.delete(consumer))
    if (afterSeq !== null) this.#replay(consumer, afterSeq)
  }

  /** Sends one event to every consumer; `id` null for events that are not samples. */
  publish(event: 'samples' | 'state', json: string, id: number | null): void {
    if (this.#consumers.size === 0) return
    const frame = `event: ${event}\n${id === null ? '' : `id: ${id}\n`}data: ${json}\n\n`
    const now = Date.now()
    let delivered = 0
    for (const consumer of this.#consumers) {
      if (!consumer.live) continue
      if (consumer.response.writableLength > this.#options.maxBufferedBytes) {
        this.#consumers.delete(consumer)
        consumer.response.destroy()
        continue
      }
      consumer.response.write(frame)
      consumer.lastWriteMs = now
      delivered++
    }
    this.#options.onDelivered(delivered)
  }

  keepAlive(nowMs: number): void {
    for (const consumer of this.#consumers) {
      if (nowMs - consumer.lastWriteMs >= this.#options.keepAliveMs) {
        consumer.response.write(': keep-alive\n\n')
        consumer.lastWriteMs = nowMs
      }
    }
  }

  closeAll(): void {
    for (const consumer of this.#consumers) consumer.response.end()
    this.#consumers.clear()
  }

  #replay(consumer: Consumer, afterSeq: number): void {
    const { replay, liveFrom, maxBufferedBytes } = this.#options
    const { response } = consumer
    consumer.live = false
    new ReplayPump(
      replay,
      clampResume(afterSeq, replay.nextSeq) + 1,
      liveFrom,
      {
        sendSamples: (chunk) => {
          const lastSeq = chunk.firstSeq + chunk.values.length - 1
          response.write(
            `event: samples\nid: ${lastSeq}\ndata: ${samplesPayload(chunk.firstSeq, chunk.values, chunk.timesMs)}\n\n`
          )
        },
        sendGap: (from, to) =>
          response.write(`event: gap\ndata: ${JSON.stringify({ type: 'gap', from, to })}\n\n`),
        bufferedBytes: () => response.writableLength,
        onDrain: (resume) => response.once('drain', resume),
        isOpen: () => !response.destroyed && this.#consumers.has(consumer),
        goLive: () => {
          consumer.live = true
        }
      },
      maxBufferedBytes / 4
    ).pump()
  }
}
