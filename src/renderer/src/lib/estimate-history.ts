/**
 * The "estimate over time" series: posterior mean and credible band against the number of
 * samples n. Memory and draw cost stay bounded: when the buffer is full, every other point is
 * dropped and the minimum spacing between points doubles, so points stay evenly spread over n.
 */

/** One recorded estimate. */
export interface EstimatePoint {
  /** Samples counted so far. */
  n: number
  mean: number
  lower: number
  upper: number
}

/** Default capacity: points kept before halving. */
export const HISTORY_CAPACITY = 2000

/** Bounded, self-decimating history of estimates. Points are ordered by n. */
export class EstimateHistory {
  readonly #n: Float64Array
  readonly #mean: Float64Array
  readonly #lower: Float64Array
  readonly #upper: Float64Array
  #size = 0
  #minStep = 1
  #version = 0

  /** @param capacity points kept, an even integer ≥ 4; default {@link HISTORY_CAPACITY}. */
  constructor(readonly capacity = HISTORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 4 || capacity % 2 !== 0) {
      throw new RangeError(`capacity must be an even integer ≥ 4, got ${capacity}`)
    }
    this.#n = new Float64Array(capacity)
    this.#mean = new Float64Array(capacity)
    this.#lower = new Float64Array(capacity)
    this.#upper = new Float64Array(capacity)
  }

  /** Points held. */
  get size(): number {
    return this.#size
  }

  /** Smallest gap in n between consecutive recorded points (1, then 2, 4, … after each halving). */
  get minStep(): number {
    return this.#minStep
  }

  /** Changes whenever the held points change; lets a consumer skip rebuilding unchanged arrays. */
  get version(): number {
    return this.#version
  }

  /** n of the newest point, or −Infinity when empty. */
  get lastN(): number {
    return this.#size === 0 ? -Infinity : (this.#n[this.#size - 1] as number)
  }

  /**
   * Records a point if n has advanced by at least {@link minStep} since the last one.
   * @returns whether the point was kept.
   */
  record(point: EstimatePoint): boolean {
    if (this.#size > 0 && point.n - this.lastN < this.#minStep) return false
    if (this.#size === this.capacity) this.#halve()
    const i = this.#size++
    this.#n[i] = point.n
    this.#mean[i] = point.mean
    this.#lower[i] = point.lower
    this.#upper[i] = point.upper
    this.#version++
    return true
  }

  /** Drops every point (after a posterior reset). */
  clear(): void {
    this.#size = 0
    this.#minStep = 1
    this.#version++
  }

  /** The held points as fresh plain objects, oldest first. */
  points(): EstimatePoint[] {
    const out: EstimatePoint[] = new Array(this.#size)
    for (let i = 0; i < this.#size; i++) {
      out[i] = {
        n: this.#n[i] as number,
        mean: this.#mean[i] as number,
        lower: this.#lower[i] as number,
        upper: this.#upper[i] as number
      }
    }
    return out
  }

  // Runs only when full (size = capacity, even). Keeps points 0, 2, …, capacity − 4 and the
  // newest in place of capacity − 2, so the series still reaches the present.
  #halve(): void {
    let kept = 0
    for (let i = 0; i < this.#size; i += 2) this.#copy(i, kept++)
    this.#copy(this.#size - 1, kept - 1)
    this.#size = kept
    this.#minStep *= 2
  }

  #copy(from: number, to: number): void {
    this.#n[to] = this.#n[from] as number
    this.#mean[to] = this.#mean[from] as number
    this.#lower[to] = this.#lower[from] as number
    this.#upper[to] = this.#upper[from] as number
  }
}
