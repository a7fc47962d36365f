/** The last samples as they arrived, with their sequence numbers, for the raw-data strip. */

/** Default number of samples kept. */
export const RECENT_SAMPLES = 48

/** One sample. */
export interface RawSample {
  seq: number
  value: 0 | 1
}

/** A fixed-size ring of the newest samples. */
export class RecentSamples {
  readonly #seq: Float64Array
  readonly #value: Uint8Array
  #next = 0
  #size = 0

  /** @param capacity samples kept, an integer ≥ 1. */
  constructor(readonly capacity = RECENT_SAMPLES) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be an integer ≥ 1, got ${capacity}`)
    this.#seq = new Float64Array(capacity)
    this.#value = new Uint8Array(capacity)
  }

  push(seq: number, value: 0 | 1): void {
    this.#seq[this.#next] = seq
    this.#value[this.#next] = value
    this.#next = (this.#next + 1) % this.capacity
    if (this.#size < this.capacity) this.#size++
  }

  clear(): void {
    this.#next = 0
    this.#size = 0
  }

  /** The kept samples, oldest first, as fresh plain objects. */
  list(): RawSample[] {
    const out: RawSample[] = new Array(this.#size)
    const first = (this.#next - this.#size + this.capacity) % this.capacity
    for (let i = 0; i < this.#size; i++) {
      const at = (first + i) % this.capacity
      out[i] = { seq: this.#seq[at] as number, value: this.#value[at] as 0 | 1 }
    }
    return out
  }
}
