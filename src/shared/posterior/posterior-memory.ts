/**
 * How much of the past a posterior remembers. Full memory is the conjugate update over every
 * sample (the original client's model). The two tracking models follow a p that changes:
 * - a sliding window: the exact Beta posterior of the last N samples;
 * - exponential forgetting with factor λ: the counts decay, (α − α₀) ← λ(α − α₀) + x and
 *   (β − β₀) ← λ(β − β₀) + 1 − x, so old evidence fades and the posterior relaxes toward the
 *   prior (the "decaying posterior" of non-stationary bandits).
 * Pure: no I/O, no globals, no time.
 */
import type { Checked } from '../sampler-settings'
import { ErrorCode } from '../error-codes'
import type { BetaShape } from './beta-posterior'

/** Which posterior: full memory, or one of the tracking models. */
export type MemoryKind = 'all' | 'window' | 'forgetting'

/** Every {@link MemoryKind}, full memory first. */
export const MEMORY_KINDS: readonly MemoryKind[] = ['all', 'window', 'forgetting']

/** Default window: follows a change of p within a few hundred samples. */
export const DEFAULT_WINDOW_SIZE = 200
/** Smallest window, in samples. */
export const MIN_WINDOW_SIZE = 2
/** Largest window, in samples (also how many recent samples are kept to rebuild the models). */
export const MAX_WINDOW_SIZE = 100_000

/** Default forgetting factor: an effective memory of 1/(1 − λ) = 200 samples. */
export const DEFAULT_FORGETTING = 0.995
/** Smallest forgetting factor (an effective memory of 2 samples). */
export const MIN_FORGETTING = 0.5
/**
 * Largest forgetting factor (an effective memory of 10 000 samples). Changing λ rebuilds the
 * counts from the last {@link MAX_WINDOW_SIZE} samples; at this λ what lies further back weighs
 * λ^100000 < 5e-5 of the newest sample, so the rebuild is exact to that.
 */
export const MAX_FORGETTING = 0.9999

/** Checks a window size: an integer number of samples in [2, 100000]. */
export function checkWindowSize(value: unknown): Checked<number> {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < MIN_WINDOW_SIZE ||
    value > MAX_WINDOW_SIZE
  ) {
    return {
      ok: false,
      code: ErrorCode.BadMessage,
      message: `window must be a whole number of samples from ${MIN_WINDOW_SIZE} to ${MAX_WINDOW_SIZE}`
    }
  }
  return { ok: true, value }
}

/** Checks a forgetting factor: a number in [0.5, 0.9999]. */
export function checkForgetting(value: unknown): Checked<number> {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < MIN_FORGETTING ||
    value > MAX_FORGETTING
  ) {
    return {
      ok: false,
      code: ErrorCode.BadMessage,
      message: `forgetting factor must be a number from ${MIN_FORGETTING} to ${MAX_FORGETTING}`
    }
  }
  return { ok: true, value }
}

/** Evidence a model holds: (pseudo-)counts of ones and of all samples. */
export interface Evidence {
  ones: number
  trials: number
}

/**
 * The three posteriors over one stream, updated together sample by sample. Memory is bounded:
 * the last {@link MAX_WINDOW_SIZE} samples in a byte ring, plus a few counters.
 */
export class PosteriorMemory {
  readonly #ring = new Uint8Array(MAX_WINDOW_SIZE)
  #ringNext = 0
  #ringSize = 0
  #trials = 0
  #ones = 0
  #windowSize: number
  #windowOnes = 0
  #lambda: number
  #decayedOnes = 0
  #decayedTrials = 0

  /**
   * @param windowSize N of the sliding window, see {@link checkWindowSize}.
   * @param lambda the forgetting factor, see {@link checkForgetting}.
   * @throws RangeError for values outside those ranges.
   */
  constructor(windowSize = DEFAULT_WINDOW_SIZE, lambda = DEFAULT_FORGETTING) {
    this.#windowSize = assertChecked(checkWindowSize(windowSize))
    this.#lambda = assertChecked(checkForgetting(lambda))
  }

  /** Samples seen since the last reset. */
  get trials(): number {
    return this.#trials
  }

  /** Ones among them. */
  get ones(): number {
    return this.#ones
  }

  /** N of the sliding window. */
  get windowSize(): number {
    return this.#windowSize
  }

  /** λ of the forgetting model. */
  get forgetting(): number {
    return this.#lambda
  }

  /** Counts one sample into every model. */
  add(value: 0 | 1): void {
    this.#trials++
    this.#ones += value
    // The sample leaving the window is the one N back, read before the ring overwrites it.
    if (this.#ringSize >= this.#windowSize) this.#windowOnes -= this.#back(this.#windowSize)
    this.#windowOnes += value
    this.#ring[this.#ringNext] = value
    this.#ringNext = (this.#ringNext + 1) % MAX_WINDOW_SIZE
    if (this.#ringSize < MAX_WINDOW_SIZE) this.#ringSize++
    this.#decayedOnes = this.#lambda * this.#decayedOnes + value
    this.#decayedTrials = this.#lambda * this.#decayedTrials + 1
  }

  /** Forgets every sample. */
  reset(): void {
    this.#ringNext = 0
    this.#ringSize = 0
    this.#trials = 0
    this.#ones = 0
    this.#windowOnes = 0
    this.#decayedOnes = 0
    this.#decayedTrials = 0
  }

  /** Changes N; the window is recounted from the kept samples. @throws RangeError */
  setWindowSize(windowSize: number): void {
    this.#windowSize = assertChecked(checkWindowSize(windowSize))
    let ones = 0
    const size = Math.min(this.#ringSize, this.#windowSize)
    for (let k = 1; k <= size; k++) ones += this.#back(k)
    this.#windowOnes = ones
  }

  /** Changes λ; the decayed counts are rebuilt from the kept samples. @throws RangeError */
  setForgetting(lambda: number): void {
    this.#lambda = assertChecked(checkForgetting(lambda))
    let ones = 0
    let trials = 0
    for (let k = this.#ringSize; k >= 1; k--) {
      ones = this.#lambda * ones + this.#back(k)
      trials = this.#lambda * trials + 1
    }
    this.#decayedOnes = ones
    this.#decayedTrials = trials
  }

  /** The evidence `kind` holds now; pseudo-counts (not integers) for forgetting. */
  evidence(kind: MemoryKind): Evidence {
    switch (kind) {
      case 'all':
        return { ones: this.#ones, trials: this.#trials }
      case 'window':
        return { ones: this.#windowOnes, trials: Math.min(this.#trials, this.#windowSize) }
      case 'forgetting':
        return { ones: this.#decayedOnes, trials: this.#decayedTrials }
    }
  }

  /**
   * The posterior Beta(α₀ + ones, β₀ + trials − ones) of `kind`.
   * @param prior Beta(α₀, β₀), both finite and > 0 (not checked here: the caller owns it).
   */
  shape(kind: MemoryKind, prior: BetaShape): BetaShape {
    const { ones, trials } = this.evidence(kind)
    // Forgetting's pseudo-counts are sums of decayed terms; guard the rounding below zero.
    const failures = Math.max(0, trials - ones)
    return { alpha: prior.alpha + Math.max(0, ones), beta: prior.beta + failures }
  }

  /** Effective sample size: how many samples' worth of evidence `kind` holds now. */
  effectiveSampleSize(kind: MemoryKind): number {
    return this.evidence(kind).trials
  }

  // The k-th newest kept sample (k = 1 is the newest).
  #back(k: number): number {
    return this.#ring[(this.#ringNext - k + MAX_WINDOW_SIZE) % MAX_WINDOW_SIZE] as number
  }
}

function assertChecked(checked: Checked<number>): number {
  if (!checked.ok) throw new RangeError(checked.message)
  return checked.value
}
