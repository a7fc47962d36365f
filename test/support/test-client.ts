import { WebSocket, type ClientOptions } from 'ws'
import type { ServerMessage } from '../../src/shared/protocol/messages'
import { parseServerMessage } from '../../src/shared/protocol/server-message-parser'

/** A WebSocket client for tests that records every frame and lets a test await the next ones. */
export class TestClient {
  readonly ws: WebSocket
  readonly frames: string[] = []
  closeCode: number | null = null
  closeReason = ''
  #waiters: Array<() => void> = []
  readonly opened: Promise<void>
  readonly closed: Promise<void>

  constructor(url: string, options: ClientOptions = {}) {
    this.ws = new WebSocket(url, options)
    this.ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? `<binary ${(data as Buffer).length}>` : data.toString())
      this.#wake()
    })
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`))
      )
      this.ws.once('error', reject)
    })
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => {
        this.closeCode = code
        this.closeReason = reason.toString()
        this.#wake()
        resolve()
      })
    )
    this.opened.catch(() => undefined)
  }

  /** Parsed JSON-protocol messages received so far (throws on a malformed one). */
  get messages(): ServerMessage[] {
    return this.frames.map((frame) => {
      const parsed = parseServerMessage(frame)
      if (!parsed.ok)
        throw new Error(`malformed server message (${parsed.reason}): ${frame.slice(0, 200)}`)
      return parsed.message
    })
  }

  /** Samples received on the JSON path, flattened, as [seq, value] pairs. */
  get samples(): Array<{ seq: number; value: 0 | 1; time: number }> {
    return this.messages.flatMap((m) =>
      m.type === 'samples'
        ? m.values.map((value, i) => ({ seq: m.seq + i, value, time: m.times[i]! }))
        : []
    )
  }

  /** Resolves once `predicate` holds for this client, or rejects after `timeoutMs`. */
  async until(
    predicate: (client: TestClient) => boolean,
    timeoutMs = 5000,
    what = 'condition'
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this)) {
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; ${this.frames.length} frames, last: ${this.frames.at(-1)?.slice(0, 200)}`
        )
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100))
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message))
  }

  close(): Promise<void> {
    this.ws.close()
    return this.closed
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }
}
