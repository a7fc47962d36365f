/**
 * The numbers panel's frame and the posterior readings every frame shares: for each posterior
 * shown, its shape and summary (mean, MAP, 95 % interval, P(p > ½)) computed once per frame.
 */
import type { BetaShape } from '../../../shared/posterior/beta-posterior'
import { summarizeBeta, type BetaSummary } from '../../../shared/posterior/beta-summary'
import type { MemoryKind } from '../../../shared/posterior/posterior-memory'
import type { PosteriorEngine } from '../posterior/posterior-engine'
import type { RawSample } from '../posterior/recent-samples'

/** One posterior as of this frame. */
export interface PosteriorReading {
  kind: MemoryKind
  shape: BetaShape
  summary: BetaSummary
  /** Samples' worth of evidence it holds (n for full memory). */
  effectiveN: number
}

/** The posteriors shown this frame: full memory, and the tracking model when one is on. */
export interface Readings {
  full: PosteriorReading
  tracking: PosteriorReading | null
}

/** What the numbers panel and the raw-data strip show; replaced once per frame. */
export interface PanelFrame extends Readings {
  /** Samples counted since the last reset (n). */
  trials: number
  /** Ones among them. */
  ones: number
  prior: BetaShape
  /** The tracking model's parameter: N for the window, λ for forgetting. */
  windowSize: number
  forgetting: number
  /** Samples per second over the last 2 s of sample time. */
  rate: number
  /** The newest samples with their sequence numbers, oldest first. */
  raw: RawSample[]
  /** Sample count n at which p last changed since counting started; null when it did not. */
  lastPChangeN: number | null
}

/** Reads the posterior `kind` from the engine (two quantiles and a cdf). */
export function readPosterior(engine: PosteriorEngine, kind: MemoryKind): PosteriorReading {
  const shape = engine.shape(kind)
  return {
    kind,
    shape,
    summary: summarizeBeta(shape.alpha, shape.beta),
    effectiveN: engine.memory.effectiveSampleSize(kind)
  }
}

/** Reads full memory and, when `tracking` is not null, that tracking model. */
export function readPosteriors(
  engine: PosteriorEngine,
  tracking: Exclude<MemoryKind, 'all'> | null
): Readings {
  return {
    full: readPosterior(engine, 'all'),
    tracking: tracking === null ? null : readPosterior(engine, tracking)
  }
}

/**
 * Builds the panel frame from this frame's readings.
 * @param raw the raw strip to show, when it is not refreshed this frame (null: read it anew).
 */
export function buildPanelFrame(
  engine: PosteriorEngine,
  readings: Readings,
  raw: RawSample[] | null = null
): PanelFrame {
  return {
    ...readings,
    trials: engine.memory.trials,
    ones: engine.memory.ones,
    prior: engine.prior,
    windowSize: engine.memory.windowSize,
    forgetting: engine.memory.forgetting,
    rate: engine.rate.rate(),
    raw: raw ?? engine.recent.list(),
    lastPChangeN: lastPChange(engine)
  }
}

function lastPChange(engine: PosteriorEngine): number | null {
  const steps = engine.timeline.pSteps
  return steps.length > 1 ? (steps[steps.length - 1] as { n: number }).n : null
}
