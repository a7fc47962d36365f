/**
 * The samples this page holds for download: sequence number, time, value and the true p in
 * force, in a fixed ring of typed arrays (allocated once, so memory stays flat at any n).
 */

/** Samples kept for download by default (≈ 2.5 MB: 100 s at the 1 ms preset). */
export const SAMPLE_LOG_CAPACITY = 100_000

/** One held sample; `p` is null where the page does not know it (a file source, before a join). */
export interface LoggedSample {
  seq: number
  /** Epoch ms, as the server stamped it. */
  time: number
  value: 0 | 1
  p: number | null
}

/** A ring of the newest samples. */
export class SampleLog {
  readonly #seq: Float64Array
  readonly #time: Float64Array
  readonly #p: Float64Array
  readonly #value: Uint8Array
  #next = 0
  #size = 0

  /** @param capacity samples kept, an integer ≥ 1. */
  constructor(readonly capacity = SAMPLE_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be an integer ≥ 1, got ${capacity}`)
    this.#seq = new Float64Array(capacity)
    this.#time = new Float64Array(capacity)
    this.#p = new Float64Array(capacity)
    this.#value = new Uint8Array(capacity)
  }

  /** Samples held. */
  get size(): number {
    return this.#size
  }

  /** @param p the true p it was drawn with, or null when unknown. */
  push(seq: number, time: number, value: 0 | 1, p: number | null): void {
    const at = this.#next
    this.#seq[at] = seq
    this.#time[at] = time
    this.#value[at] = value
    this.#p[at] = p ?? Number.NaN
    this.#next = (at + 1) % this.capacity
    if (this.#size < this.capacity) this.#size++
  }

  clear(): void {
    this.#next = 0
    this.#size = 0
  }

  /** Calls `visit` for every held sample, oldest first (one object reused: copy what you keep). */
  forEach(visit: (sample: Readonly<LoggedSample>) => void): void {
    const first = (this.#next - this.#size + this.capacity) % this.capacity
    const sample: LoggedSample = { seq: 0, time: 0, value: 0, p: null }
    for (let i = 0; i < this.#size; i++) {
      const at = (first + i) % this.capacity
      sample.seq = this.#seq[at] as number
      sample.time = this.#time[at] as number
      sample.value = this.#value[at] as 0 | 1
      const p = this.#p[at] as number
      sample.p = Number.isNaN(p) ? null : p
      visit(sample)
    }
  }
}
