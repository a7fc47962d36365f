/**
 * Samples per second, measured from the samples' own draw timestamps so bursts (a replay after a
 * reconnection, or a server that batches frames) do not distort it.
 */

/** Default window of sample time the rate is averaged over, in ms. */
export const RATE_WINDOW_MS = 2000

/** Sliding-window rate meter over sample timestamps. Memory is bounded by `capacity`. */
export class RateMeter {
  readonly #times: Float64Array
  #start = 0
  #size = 0

  /**
   * @param capacity timestamps kept, ≥ 2; default 4096 (4 s at 1000 samples/s).
   * @param windowMs width of the averaging window in ms of sample time; default 2000.
   */
  constructor(
    capacity = 4096,
    readonly windowMs = RATE_WINDOW_MS
  ) {
    if (!Number.isInteger(capacity) || capacity < 2)
      throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`)
    this.#times = new Float64Array(capacity)
  }

  /** Records sample draw times (epoch ms), in order. */
  push(times: ArrayLike<number>, from = 0): void {
    const cap = this.#times.length
    for (let i = from; i < times.length; i++) {
      const t = times[i] as number
      this.#times[(this.#start + this.#size) % cap] = t
      if (this.#size < cap) this.#size++
      else this.#start = (this.#start + 1) % cap
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.#start = 0
    this.#size = 0
  }

  /**
   * Samples per second over the last `windowMs` of sample time; with fewer than two samples in
   * the window (slow streams), from the last two samples. 0 when there is nothing to measure.
   */
  rate(): number {
    if (this.#size < 2) return 0
    const cap = this.#times.length
    const at = (i: number): number => this.#times[(this.#start + i) % cap] as number
    const newest = at(this.#size - 1)
    let oldestIndex = this.#size - 2
    while (oldestIndex > 0 && newest - at(oldestIndex - 1) <= this.windowMs) oldestIndex--
    const span = newest - at(oldestIndex)
    if (!(span > 0)) return 0
    return ((this.#size - 1 - oldestIndex) * 1000) / span
  }
}
