import type { SampleBatch } from '../sampler/sample-source'

/**
 * The most recent samples, in a fixed-size ring (typed arrays: 9 bytes a sample, no per-sample
 * objects), so reconnecting clients can be replayed what they missed.
 */
export class ReplayBuffer {
  readonly capacity: number
  readonly #values: Uint8Array
  readonly #times: Float64Array
  #oldestSeq = 1
  #count = 0

  /** @param capacity number of samples held, ≥ 1 (memory: 9 bytes each). */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    }
    this.capacity = capacity
    this.#values = new Uint8Array(capacity)
    this.#times = new Float64Array(capacity)
  }

  /** Sequence number of the oldest sample held (equals `nextSeq` when empty). */
  get oldestSeq(): number {
    return this.#oldestSeq
  }

  /** Number of samples held, at most `capacity`. */
  get size(): number {
    return this.#count
  }

  /** Sequence number the next appended sample must carry. */
  get nextSeq(): number {
    return this.#oldestSeq + this.#count
  }

  /** Appends consecutive samples; throws if `firstSeq` does not continue the held run. */
  append({ firstSeq, values, timesMs }: SampleBatch): void {
    if (this.#count === 0) this.#oldestSeq = firstSeq
    else if (firstSeq !== this.nextSeq) {
      throw new RangeError(`expected sequence ${this.nextSeq}, got ${firstSeq}`)
    }
    for (let i = 0; i < values.length; i++) {
      const slot = (this.#oldestSeq + this.#count) % this.capacity
      this.#values[slot] = values[i]!
      this.#times[slot] = timesMs[i]!
      if (this.#count < this.capacity) this.#count++
      else this.#oldestSeq++
    }
  }

  /**
   * Samples with sequence numbers in [fromSeq, toSeq), clipped to what is held, in chunks of at
   * most `chunkSize`.
   */
  *range(fromSeq: number, toSeq: number, chunkSize: number): Generator<SampleBatch> {
    let seq = Math.max(fromSeq, this.#oldestSeq)
    const end = Math.min(toSeq, this.nextSeq)
    while (seq < end) {
      const length = Math.min(chunkSize, end - seq)
      const values = new Array<0 | 1>(length)
      const timesMs = new Array<number>(length)
      for (let i = 0; i < length; i++) {
        const slot = (seq + i) % this.capacity
        values[i] = this.#values[slot] as 0 | 1
        timesMs[i] = this.#times[slot]!
      }
      yield { firstSeq: seq, values, timesMs }
      seq += length
    }
  }
}
