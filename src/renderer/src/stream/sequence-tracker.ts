/**
 * Keeps exactly-once accounting of sequence-numbered samples across reconnections: samples
 * already seen are skipped, and any hole in the numbering is reported as a gap, whether the
 * server announced it or not.
 */

/** A run of sequence numbers that will never arrive, inclusive at both ends. */
export interface SeqGap {
  from: number
  to: number
}

/** What to do with a batch: drop its first `skip` samples (duplicates); `gap` precedes the rest. */
export interface BatchVerdict {
  /** Leading samples already counted; skip them. Equals the batch length for a pure duplicate. */
  skip: number
  /** Missing numbers just before the fresh part of the batch, announced by nobody. */
  gap: SeqGap | null
}

/** Tracks the last sequence number accounted for (received or declared lost). */
export class SequenceTracker {
  #last = 0
  #hasBaseline = false

  /** Last sequence number received or declared lost; 0 before anything. */
  get last(): number {
    return this.#last
  }

  /** True once a hello or a sample gave a starting point, i.e. `?after=last` is meaningful. */
  get hasBaseline(): boolean {
    return this.#hasBaseline
  }

  /**
   * Sets where counting starts: every sequence number ≤ `last` counts as already handled. Used on
   * the first hello (`nextSeq − 1`) and when a restarted server numbers from 1 again.
   */
  rebase(last: number): void {
    if (!Number.isSafeInteger(last) || last < 0)
      throw new RangeError(`last must be an integer ≥ 0, got ${last}`)
    this.#last = last
    this.#hasBaseline = true
  }

  /**
   * Accounts for a batch carrying sequence numbers `seq`..`seq + count − 1`.
   * @param seq first sequence number of the batch, an integer ≥ 0.
   * @param count batch length, an integer ≥ 1.
   */
  accept(seq: number, count: number): BatchVerdict {
    if (!this.#hasBaseline) this.rebase(Math.max(0, seq - 1))
    const end = seq + count - 1
    if (end <= this.#last) return { skip: count, gap: null }
    const skip = Math.max(0, this.#last + 1 - seq)
    const gap = seq > this.#last + 1 ? { from: this.#last + 1, to: seq - 1 } : null
    this.#last = end
    return { skip, gap }
  }

  /**
   * Accounts for a server-announced gap. Returns the part not already accounted for (null if
   * none), so a repeated or overlapping announcement is never counted twice.
   */
  declareLost(from: number, to: number): SeqGap | null {
    if (!this.#hasBaseline) this.rebase(Math.max(0, from - 1))
    if (to <= this.#last) return null
    // Starts at last + 1, not `from`: anything between them is lost too, though nobody said so.
    const gap = { from: this.#last + 1, to }
    this.#last = to
    return gap
  }
}
