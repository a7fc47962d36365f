import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'

/** One Server-Sent Event as it arrived: its fields, with `data` parsed as JSON. */
export interface SseEvent {
  event: string | undefined
  id: string | undefined
  data: { type: string; [key: string]: unknown }
}

/** An SSE consumer for tests that parses events as they arrive and lets a test await them. */
export class SseClient {
  readonly events: SseEvent[] = []
  /** Comment lines (`: …`) received, e.g. keep-alives. */
  comments = 0
  #buffer = ''
  #waiters = new Set<() => void>()
  #ended = false

  private constructor(
    readonly response: IncomingMessage,
    private readonly request: ClientRequest
  ) {
    response.setEncoding('utf8')
    response.on('data', (chunk: string) => this.#take(chunk))
    response.on('close', () => {
      this.#ended = true
      this.#wake()
    })
  }

  /** Opens `url` and resolves once the response headers are in. */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers }, (res) => resolve(new SseClient(res, req)))
      req.on('error', (error) =>
        error.message.includes('socket hang up') ? undefined : reject(error)
      )
      req.end()
    })
  }

  /** Samples received, flattened, in arrival order. */
  get samples(): Array<{ seq: number; value: 0 | 1 }> {
    return this.events.flatMap((e) =>
      e.event === 'samples'
        ? (e.data.values as Array<0 | 1>).map((value, i) => ({
            seq: (e.data.seq as number) + i,
            value
          }))
        : []
    )
  }

  /** The last `id:` received, as a browser would send it back in `Last-Event-ID`. */
  get lastEventId(): string | undefined {
    return this.events.findLast((e) => e.id !== undefined)?.id
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs` or when the stream ends first. */
  async until(predicate: (client: SseClient) => boolean, timeoutMs = 5000, what = 'condition') {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this)) {
      const left = deadline - Date.now()
      if (left <= 0 || this.#ended) {
        throw new Error(
          `${this.#ended ? 'stream ended' : 'timed out'} waiting for ${what}; ${this.events.length} events, last: ${JSON.stringify(this.events.at(-1))?.slice(0, 200)}`
        )
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100))
        this.#waiters.add(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  close(): void {
    this.request.destroy()
  }

  #take(chunk: string): void {
    this.#buffer += chunk
    let end: number
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end)
      this.#buffer = this.#buffer.slice(end + 2)
      const fields = new Map<string, string>()
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++
        const colon = line.indexOf(': ')
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2))
      }
      const data = fields.get('data')
      if (data !== undefined) {
        this.events.push({
          event: fields.get('event'),
          id: fields.get('id'),
          data: JSON.parse(data)
        })
      }
    }
    this.#wake()
  }

  #wake(): void {
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }
}
