/**
 * A validated scenario: p and the interval on a schedule. Positions (`at`, `until`, `every`,
 * `duration`, a sine's `period`) are in the scenario's {@link ScenarioUnit}: seconds of
 * streaming, or samples drawn since the scenario started.
 */
export interface Scenario {
  name: string
  description: string
  unit: ScenarioUnit
  /** After `duration`, start again from the first step. */
  loop: boolean
  /** Length of one pass, in the unit; required with `loop` and with `end: 'stop'`. */
  duration: number | null
  /** What happens at `duration` when not looping: keep the last settings, or stop the sampler. */
  end: 'hold' | 'stop'
  /** Seed of random walks without their own; null: the stream's seed. */
  seed: number | null
  /** In strictly increasing order of `at`; segments never overlap the next step. */
  steps: ScenarioStep[]
}

export type ScenarioUnit = 'seconds' | 'samples'

/** A step sets p and/or the interval once, at `at`. */
export interface SetStep {
  kind: 'set'
  at: number
  p: number | null
  intervalMs: number | null
}

/**
 * A segment moves p from `at` to `until`, updating it every `every` (and once more at `until`),
 * each update a state change. It may also set the interval once, at `at`.
 */
export interface SegmentStep {
  kind: 'ramp' | 'sine' | 'walk'
  at: number
  until: number
  every: number
  intervalMs: number | null
  shape: RampShape | SineShape | WalkShape
}

/** p goes linearly from `from` to `to`. */
export interface RampShape {
  kind: 'ramp'
  from: number
  to: number
}

/** p = (low + high)/2 + (high − low)/2 · sin(2π((t − at)/period + phase)). */
export interface SineShape {
  kind: 'sine'
  low: number
  high: number
  /** Length of one cycle, in the scenario's unit. */
  period: number
  /** Where in its cycle the wave starts, as a fraction of a period in [0, 1). */
  phase: number
}

/** p starts at `from` and moves ±`step` at each update (reflected at `low` and `high`). */
export interface WalkShape {
  kind: 'walk'
  from: number
  step: number
  low: number
  high: number
  /** null: the scenario's seed, else the stream's. */
  seed: number | null
}

export type ScenarioStep = SetStep | SegmentStep

/** Why a scenario was refused: where (file, step) and what. */
export interface ScenarioProblem {
  /** File the scenario came from, or a label such as `upload`. */
  source: string
  /** 1-based step number, when a step is at fault. */
  step: number | null
  /** 1-based line of the step (or of a syntax error) in the file, when known. */
  line: number | null
  reason: string
}

/** `file: step 3 (line 12): reason` — one sentence a person can act on. */
export function describeScenarioProblem(problem: ScenarioProblem): string {
  const where: string[] = []
  if (problem.step !== null) where.push(`step ${problem.step}`)
  if (problem.line !== null)
    where.push(problem.step === null ? `line ${problem.line}` : `(line ${problem.line})`)
  return `${problem.source}: ${where.length ? `${where.join(' ')}: ` : ''}${problem.reason}`
}
