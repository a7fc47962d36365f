/**
 * Storage for points of the estimate history: at sample count n, the Beta shape of every
 * posterior model, and — filled in later, when a chart first needs them — their 95 % credible
 * bounds. Plain typed arrays with a fixed capacity, so memory never grows.
 */
import { MEMORY_KINDS, type MemoryKind } from '../../../shared/posterior/posterior-memory'

const MODELS = MEMORY_KINDS.length
// Per point: n, then α and β of each model, then lower and upper of each model.
const SHAPES_AT = 1
const BANDS_AT = 1 + 2 * MODELS
const STRIDE = 1 + 4 * MODELS

/** Model kind → its slot in a point. */
export function modelSlot(kind: MemoryKind): number {
  return MEMORY_KINDS.indexOf(kind)
}

/**
 * A snapshot of every model's shape: α of model m at index 2m, β at 2m + 1 (order of
 * {@link MEMORY_KINDS}).
 */
export type ShapeSnapshot = Float64Array

/** Allocates a {@link ShapeSnapshot}. */
export function newShapeSnapshot(): ShapeSnapshot {
  return new Float64Array(2 * MODELS)
}

/** An ordered run of history points (by increasing n), bounded by its capacity. */
export class ShapeSeries {
  readonly #data: Float64Array
  #start = 0
  #size = 0

  /** @param capacity points held at most, an integer ≥ 2. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2)
      throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`)
    // Twice the capacity so dropping from the front is a pointer move; compacted when needed.
    this.#data = new Float64Array(2 * capacity * STRIDE)
  }

  get size(): number {
    return this.#size
  }

  /** True when another {@link push} would throw. */
  get full(): boolean {
    return this.#size === this.capacity
  }

  /** n of point `i` (0 = oldest). */
  n(i: number): number {
    return this.#data[this.#at(i)] as number
  }

  /** n of the newest point, or −Infinity when empty. */
  get lastN(): number {
    return this.#size === 0 ? -Infinity : this.n(this.#size - 1)
  }

  alpha(i: number, kind: MemoryKind): number {
    return this.#data[this.#at(i) + SHAPES_AT + 2 * modelSlot(kind)] as number
  }

  beta(i: number, kind: MemoryKind): number {
    return this.#data[this.#at(i) + SHAPES_AT + 2 * modelSlot(kind) + 1] as number
  }

  /** Copies every model's shape at point `i` into `into`. */
  shapes(i: number, into: ShapeSnapshot): void {
    const at = this.#at(i) + SHAPES_AT
    into.set(this.#data.subarray(at, at + 2 * MODELS))
  }

  /** Lower credible bound of `kind` at point `i`; NaN until {@link setBand} filled it in. */
  lower(i: number, kind: MemoryKind): number {
    return this.#data[this.#at(i) + BANDS_AT + 2 * modelSlot(kind)] as number
  }

  upper(i: number, kind: MemoryKind): number {
    return this.#data[this.#at(i) + BANDS_AT + 2 * modelSlot(kind) + 1] as number
  }

  setBand(i: number, kind: MemoryKind, lower: number, upper: number): void {
    const at = this.#at(i) + BANDS_AT + 2 * modelSlot(kind)
    this.#data[at] = lower
    this.#data[at + 1] = upper
  }

  /**
   * Appends a point (n must not be below the newest one's).
   * @throws RangeError when full or out of order (a programming error).
   */
  push(n: number, shapes: ShapeSnapshot): void {
    if (this.full) throw new RangeError('series is full')
    if (n < this.lastN)
      throw new RangeError(`points must come in order of n, got ${n} after ${this.lastN}`)
    if (this.#start + this.#size === 2 * this.capacity) this.#compact()
    const at = (this.#start + this.#size) * STRIDE
    this.#data[at] = n
    this.#data.set(shapes, at + SHAPES_AT)
    this.#data.fill(Number.NaN, at + BANDS_AT, at + STRIDE)
    this.#size++
  }

  /** Drops the `count` oldest points. */
  dropOldest(count: number): void {
    const dropped = Math.min(count, this.#size)
    this.#start += dropped
    this.#size -= dropped
    if (this.#size === 0) this.#start = 0
  }

  /** Keeps points 0, 2, 4, … and always the newest: half the points over the same span of n. */
  keepEveryOther(): void {
    if (this.#size < 3) return
    const last = this.#size - 1
    let kept = 0
    for (let i = 0; i < last; i += 2) this.#move(i, kept++)
    this.#move(last, kept++)
    this.#size = kept
  }

  /** Drops every point. */
  clear(): void {
    this.#start = 0
    this.#size = 0
  }

  #at(i: number): number {
    return (this.#start + i) * STRIDE
  }

  #move(from: number, to: number): void {
    if (from === to) return
    const source = this.#at(from)
    this.#data.copyWithin(this.#at(to), source, source + STRIDE)
  }

  #compact(): void {
    const from = this.#start * STRIDE
    this.#data.copyWithin(0, from, from + this.#size * STRIDE)
    this.#start = 0
  }
}
