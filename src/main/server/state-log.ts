/** A `state` event as sent, and where it happened in the stream. */
export interface LoggedState {
  /** The sequence number of the first sample drawn after the change (its `state.nextSeq`). */
  position: number
  /** The event's JSON text, as every client gets it. */
  json: string
}

/**
 * The most recent `state` events, numbered in the order they happened, so that a client still
 * catching up on old samples gets each one where it belongs (see `ReplayPump`). Bounded: the
 * oldest are forgotten first.
 */
export class StateLog {
  readonly capacity: number
  readonly #entries: LoggedState[] = []
  /** Number of the oldest entry held; numbers grow by one per event and never repeat. */
  #firstIndex = 0

  /** @param capacity events held, ≥ 1 (each is its JSON text, ~130 bytes). */
  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
    }
    this.capacity = capacity
  }

  /** Number of the next event to be appended. */
  get endIndex(): number {
    return this.#firstIndex + this.#entries.length
  }

  /** Records an event; positions never decrease (programmer misuse throws). */
  append(position: number, json: string): void {
    const last = this.#entries.at(-1)
    if (last && position < last.position) {
      throw new RangeError(`state position ${position} is before the last one, ${last.position}`)
    }
    this.#entries.push({ position, json })
    if (this.#entries.length > this.capacity) {
      this.#entries.shift()
      this.#firstIndex++
    }
  }

  /** The event numbered `index`, or undefined when it is not (or no longer) held. */
  at(index: number): LoggedState | undefined {
    return this.#entries[index - this.#firstIndex]
  }

  /** Number of the first held event at `position` or later (`endIndex` when there is none). */
  firstAtOrAfter(position: number): number {
    let index = this.endIndex
    while (index > this.#firstIndex && this.at(index - 1)!.position >= position) index--
    return index
  }

  /** Number of the oldest event held. */
  get firstIndex(): number {
    return this.#firstIndex
  }
}
