/**
 * A token bucket: `ratePerS` tokens a second, holding at most `burst`. Time is passed in, so
 * the limiter is exact under test.
 */
export class TokenBucket {
  readonly #ratePerMs: number
  readonly #burst: number
  #tokens: number
  #updatedMs: number

  /**
   * @param ratePerS sustained events per second, > 0.
   * @param burst events allowed at once, ≥ 1.
   * @param nowMs the current time in milliseconds.
   */
  constructor(ratePerS: number, burst: number, nowMs: number) {
    if (!(ratePerS > 0) || !(burst >= 1)) throw new RangeError('ratePerS must be > 0 and burst ≥ 1')
    this.#ratePerMs = ratePerS / 1000
    this.#burst = burst
    this.#tokens = burst
    this.#updatedMs = nowMs
  }

  /** Takes one token if there is one; returns whether it did. */
  tryTake(nowMs: number): boolean {
    if (!this.hasToken(nowMs)) return false
    this.#tokens -= 1
    return true
  }

  /** Whether a token is there now, without taking it. */
  hasToken(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.#updatedMs)
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#ratePerMs)
    this.#updatedMs = nowMs
    return this.#tokens >= 1
  }

  /** Takes one token, going into debt if there is none (the debt is paid back by waiting). */
  take(nowMs: number): void {
    this.hasToken(nowMs)
    this.#tokens -= 1
  }
}
