/**
 * The user's posterior choices — the prior and the tracking memory (none, a window of N
 * samples, or forgetting with factor λ) — as reactive state for the controls. Each change is
 * validated, applied to the engine (which marks it on the timeline) and saved for next time.
 */
import {
  DEFAULT_PRIOR,
  isValidShape,
  MAX_PRIOR_SHAPE,
  type BetaShape
} from '../../../shared/posterior/beta-posterior'
import {
  checkForgetting,
  checkWindowSize,
  DEFAULT_FORGETTING,
  DEFAULT_WINDOW_SIZE,
  type MemoryKind
} from '../../../shared/posterior/posterior-memory'
import { PosteriorEngine } from './posterior-engine'
import {
  loadMemory,
  loadPrior,
  saveMemory,
  savePrior,
  type KeyValueStorage
} from './settings-storage'

/** Default memory: full memory only (the original client's model); tracking is switched on. */
export const DEFAULT_MEMORY: MemoryKind = 'all'

/** Reactive settings over one {@link PosteriorEngine}. */
export class PosteriorSettings {
  #prior = $state.raw<BetaShape>(DEFAULT_PRIOR)
  #memory = $state<MemoryKind>(DEFAULT_MEMORY)
  #windowSize = $state(DEFAULT_WINDOW_SIZE)
  #forgetting = $state(DEFAULT_FORGETTING)

  /** The engine these settings drive. */
  readonly engine: PosteriorEngine
  readonly #storage: KeyValueStorage | null

  /**
   * @param storage where choices persist (local storage); null keeps nothing.
   * @param now wall clock, epoch ms, for the engine's change log.
   */
  constructor(storage: KeyValueStorage | null, now: () => number) {
    this.#storage = storage
    this.#prior = loadPrior(storage) ?? DEFAULT_PRIOR
    const stored = loadMemory(storage)
    this.#memory = stored.memory ?? DEFAULT_MEMORY
    this.#windowSize = stored.windowSize ?? DEFAULT_WINDOW_SIZE
    this.#forgetting = stored.forgetting ?? DEFAULT_FORGETTING
    this.engine = new PosteriorEngine({
      prior: this.#prior,
      windowSize: this.#windowSize,
      forgetting: this.#forgetting,
      now
    })
  }

  /** The prior Beta(α₀, β₀); default Beta(2, 2). */
  get prior(): BetaShape {
    return this.#prior
  }

  /** Which tracking model is drawn beside full memory; `all` means none. */
  get memory(): MemoryKind {
    return this.#memory
  }

  /** N of the window model, in samples. */
  get windowSize(): number {
    return this.#windowSize
  }

  /** λ of the forgetting model. */
  get forgetting(): number {
    return this.#forgetting
  }

  /** The tracking model drawn beside full memory, or null when none is. */
  get tracking(): Exclude<MemoryKind, 'all'> | null {
    return this.#memory === 'all' ? null : this.#memory
  }

  /**
   * Replaces the prior; counts stay, earlier history keeps the prior it was computed with.
   * @throws RangeError unless both are finite, > 0 and ≤ 1e9.
   */
  setPrior(alpha: number, beta: number): void {
    for (const v of [alpha, beta]) {
      if (!isValidShape(v) || v > MAX_PRIOR_SHAPE)
        throw new RangeError(`prior parameters must be in (0, ${MAX_PRIOR_SHAPE}], got ${v}`)
    }
    if (alpha === this.#prior.alpha && beta === this.#prior.beta) return
    this.#prior = { alpha, beta }
    savePrior(this.#storage, this.#prior)
    this.engine.setPrior(this.#prior)
  }

  /** Chooses the tracking model drawn beside full memory (`all`: none). */
  setMemory(memory: MemoryKind): void {
    if (memory === this.#memory) return
    this.#memory = memory
    this.#apply()
  }

  /** Sets N of the window model. @throws RangeError unless an integer in [2, 100000]. */
  setWindowSize(windowSize: number): void {
    const checked = checkWindowSize(windowSize)
    if (!checked.ok) throw new RangeError(checked.message)
    if (windowSize === this.#windowSize) return
    this.#windowSize = windowSize
    this.#apply()
  }

  /** Sets λ of the forgetting model. @throws RangeError unless in [0.5, 0.9999]. */
  setForgetting(forgetting: number): void {
    const checked = checkForgetting(forgetting)
    if (!checked.ok) throw new RangeError(checked.message)
    if (forgetting === this.#forgetting) return
    this.#forgetting = forgetting
    this.#apply()
  }

  #apply(): void {
    const setting = {
      memory: this.#memory,
      windowSize: this.#windowSize,
      forgetting: this.#forgetting
    }
    saveMemory(this.#storage, setting)
    this.engine.setTracking(setting)
  }
}
