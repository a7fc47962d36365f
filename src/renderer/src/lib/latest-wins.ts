/**
 * Sends a value that changes faster than it should be sent (a slider being dragged): at most one
 * request in flight, and when it settles only the newest pending value goes next. Intermediate
 * values are skipped, the final one is always sent, and the server's rate limit is respected.
 */
export class LatestWinsSender<T> {
  #inFlight = false
  #pending: { value: T } | null = null
  #onIdle: (() => void) | null = null

  /**
   * @param send performs one request; a rejection is reported to `onError` and does not stop
   *   later values.
   * @param onError called with each failed request's reason.
   */
  constructor(
    private readonly send: (value: T) => Promise<unknown>,
    private readonly onError: (reason: unknown) => void = () => {}
  ) {}

  /** True while a request is in flight or a value waits. */
  get busy(): boolean {
    return this.#inFlight || this.#pending !== null
  }

  /** Queues `value`, replacing any value not yet sent. */
  push(value: T): void {
    this.#pending = { value }
    if (!this.#inFlight) this.#next()
  }

  /** Calls `listener` (once) the next time nothing is in flight or pending. */
  whenIdle(listener: () => void): void {
    if (!this.busy) listener()
    else this.#onIdle = listener
  }

  #next(): void {
    const pending = this.#pending
    if (pending === null) {
      const idle = this.#onIdle
      this.#onIdle = null
      idle?.()
      return
    }
    this.#pending = null
    this.#inFlight = true
    this.send(pending.value)
      .catch((reason: unknown) => this.onError(reason))
      .finally(() => {
        this.#inFlight = false
        this.#next()
      })
  }
}
