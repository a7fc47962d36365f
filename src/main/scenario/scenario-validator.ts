import { checkIntervalMs, checkP, describe } from '../../shared/sampler-settings'
import { isSeed, MAX_SEED } from '../random/counter-random'
import type {
  Scenario,
  ScenarioProblem,
  ScenarioStep,
  ScenarioUnit,
  SegmentStep,
  RampShape,
  SineShape,
  WalkShape
} from './scenario'

/** Most steps a scenario may have. */
export const MAX_SCENARIO_STEPS = 1000
/** Most updates one ramp, sine or walk may make (its length divided by `every`). */
export const MAX_SEGMENT_UPDATES = 100_000
/** Shortest update period of a segment in a seconds scenario (20 state events a second). */
export const MIN_EVERY_S = 0.05
/** Default update period of a segment: half a second, or 50 samples. */
export const DEFAULT_EVERY: Readonly<Record<ScenarioUnit, number>> = { seconds: 0.5, samples: 50 }
/** Latest position a step may have: 10^7 (about 116 days in seconds). */
export const MAX_POSITION = 1e7
/**
 * Shortest time between two changes of a looping seconds scenario, s: the sampler's finest
 * interval. A loop repeats forever, so changes packed closer (a 1 µs pass) would be due faster
 * than the server can announce them, and drawing would never catch up.
 */
export const MIN_LOOP_GAP_S = 0.001

const TOP_FIELDS = ['name', 'description', 'unit', 'loop', 'duration', 'end', 'seed', 'steps']
const STEP_FIELDS = ['at', 'p', 'intervalMs', 'until', 'every', 'ramp', 'sine', 'walk']
const SHAPE_FIELDS: Record<'ramp' | 'sine' | 'walk', string[]> = {
  ramp: ['from', 'to'],
  sine: ['low', 'high', 'period', 'phase'],
  walk: ['from', 'step', 'low', 'high', 'seed']
}

/** The outcome of validating a scenario document. */
export type ScenarioCheck =
  { ok: true; scenario: Scenario } | { ok: false; problem: ScenarioProblem }

/** Where a step starts in its file (1-based line), when the parser knows. */
export type StepLines = (stepIndex: number) => number | null

class Refusal extends Error {
  constructor(
    readonly step: number | null,
    readonly reason: string
  ) {
    super(reason)
  }
}

/**
 * Checks a parsed scenario document (JSON or YAML, still `unknown`) and returns the scenario the
 * engine runs, or the first problem: which step, and why. Never throws on bad input.
 * @param source file name (or label) named in problems.
 */
export function validateScenario(
  data: unknown,
  source: string,
  stepLines: StepLines = () => null
): ScenarioCheck {
  try {
    return { ok: true, scenario: readScenario(data) }
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    const index = error.step === null ? null : error.step - 1
    return {
      ok: false,
      problem: {
        source,
        step: error.step,
        line: index === null ? null : stepLines(index),
        reason: error.reason
      }
    }
  }
}

function readScenario(data: unknown): Scenario {
  const top = record(data, null, 'a scenario is an object with "steps"')
  onlyFields(top, TOP_FIELDS, null, 'scenario')
  const unitRaw = own(top, 'unit') ?? 'seconds'
  if (unitRaw !== 'seconds' && unitRaw !== 'samples') {
    throw new Refusal(null, `"unit" must be "seconds" or "samples", got ${describe(unitRaw)}`)
  }
  const unit: ScenarioUnit = unitRaw
  const name = optionalText(top, 'name', 100) ?? ''
  const description = optionalText(top, 'description', 1000) ?? ''
  const loop = own(top, 'loop') ?? false
  if (typeof loop !== 'boolean')
    throw new Refusal(null, `"loop" must be true or false, got ${describe(loop)}`)
  const end = own(top, 'end') ?? 'hold'
  if (end !== 'hold' && end !== 'stop') {
    throw new Refusal(null, `"end" must be "hold" or "stop", got ${describe(end)}`)
  }
  const seedRaw = own(top, 'seed')
  if (seedRaw !== undefined && !isSeed(seedRaw)) {
    throw new Refusal(
      null,
      `"seed" must be a whole number from 1 to ${MAX_SEED}, got ${describe(seedRaw)}`
    )
  }
  const durationRaw = own(top, 'duration')
  const duration =
    durationRaw === undefined ? null : position(durationRaw, unit, null, '"duration"', false)
  const stepsRaw = own(top, 'steps')
  if (!Array.isArray(stepsRaw) || stepsRaw.length === 0) {
    throw new Refusal(null, '"steps" must be a non-empty list of steps')
  }
  if (stepsRaw.length > MAX_SCENARIO_STEPS) {
    throw new Refusal(
      null,
      `a scenario has at most ${MAX_SCENARIO_STEPS} steps, this one has ${stepsRaw.length}`
    )
  }
  const steps = stepsRaw.map((raw, index) => readStep(raw, index + 1, unit))
  checkOrder(steps, unit)
  const last = steps[steps.length - 1]!
  const lastEnd = last.kind === 'set' ? last.at : last.until
  if (loop || end === 'stop') {
    const why = loop ? '"loop": true' : '"end": "stop"'
    if (duration === null) {
      throw new Refusal(
        null,
        `${why} needs "duration": how long one pass lasts (${unitName(unit)}), after the last step at ${lastEnd}`
      )
    }
  }
  if (duration !== null) {
    if (last.at >= duration || lastEnd > duration) {
      throw new Refusal(
        steps.length,
        `ends at ${lastEnd} ${unitName(unit)}, after the scenario's "duration" of ${duration}`
      )
    }
  }
  if (loop) {
    if (end === 'stop') throw new Refusal(null, '"end": "stop" cannot be used with "loop": true')
    const first = steps[0]!
    if (first.at !== 0 || (first.kind === 'set' && first.p === null)) {
      throw new Refusal(1, 'a looping scenario must set p at 0, so every pass starts the same way')
    }
    if (unit === 'seconds') checkLoopPace(steps, duration!)
  }
  return { name, description, unit, loop, duration, end, seed: seedRaw ?? null, steps }
}

function readStep(raw: unknown, step: number, unit: ScenarioUnit): ScenarioStep {
  const fields = record(raw, step, `a step is an object with "at", got ${describe(raw)}`)
  onlyFields(fields, STEP_FIELDS, step, 'step')
  const atRaw = own(fields, 'at')
  if (atRaw === undefined) throw new Refusal(step, `needs "at" (${unitName(unit)} from the start)`)
  const at = position(atRaw, unit, step, '"at"', true)
  const intervalMs = optionalChecked(fields, 'intervalMs', step, checkIntervalMs)
  const shapes = (['ramp', 'sine', 'walk'] as const).filter((key) => own(fields, key) !== undefined)
  if (shapes.length > 1)
    throw new Refusal(step, `has both "${shapes[0]}" and "${shapes[1]}"; one step moves p one way`)
  const shapeKey = shapes[0]
  if (shapeKey === undefined) {
    for (const key of ['until', 'every'] as const) {
      if (own(fields, key) !== undefined) {
        throw new Refusal(step, `"${key}" belongs to a "ramp", "sine" or "walk" step`)
      }
    }
    const p = optionalChecked(fields, 'p', step, checkP)
    if (p === null && intervalMs === null) {
      throw new Refusal(step, 'sets nothing: give "p", "intervalMs", or a "ramp", "sine" or "walk"')
    }
    return { kind: 'set', at, p, intervalMs }
  }
  if (own(fields, 'p') !== undefined) {
    throw new Refusal(step, `"p" and "${shapeKey}" both set p; use "${shapeKey}" alone`)
  }
  const untilRaw = own(fields, 'until')
  if (untilRaw === undefined)
    throw new Refusal(step, `a "${shapeKey}" needs "until" (${unitName(unit)})`)
  const until = position(untilRaw, unit, step, '"until"', false)
  if (!(until > at)) throw new Refusal(step, `"until" (${until}) must be after "at" (${at})`)
  const everyRaw = own(fields, 'every')
  const every =
    everyRaw === undefined
      ? Math.min(DEFAULT_EVERY[unit], until - at)
      : readEvery(everyRaw, unit, step)
  const updates = Math.ceil((until - at) / every)
  if (updates > MAX_SEGMENT_UPDATES) {
    throw new Refusal(
      step,
      `would update p ${updates} times; at most ${MAX_SEGMENT_UPDATES} (raise "every")`
    )
  }
  const shapeFields = record(own(fields, shapeKey), step, `"${shapeKey}" must be an object`)
  onlyFields(shapeFields, SHAPE_FIELDS[shapeKey], step, `"${shapeKey}"`)
  const shape = readShape(shapeKey, shapeFields, step, unit)
  return { kind: shapeKey, at, until, every, intervalMs, shape } satisfies SegmentStep
}

function readShape(
  kind: 'ramp' | 'sine' | 'walk',
  fields: Record<string, unknown>,
  step: number,
  unit: ScenarioUnit
): RampShape | SineShape | WalkShape {
  const p = (key: string, fallback?: number): number => {
    const value = own(fields, key)
    if (value === undefined) {
      if (fallback !== undefined) return fallback
      throw new Refusal(step, `"${kind}" needs "${key}"`)
    }
    const checked = checkP(value)
    if (!checked.ok) throw new Refusal(step, `"${kind}.${key}": ${checked.message}`)
    return checked.value
  }
  if (kind === 'ramp') return { kind, from: p('from'), to: p('to') }
  if (kind === 'sine') {
    const low = p('low')
    const high = p('high')
    if (!(low < high))
      throw new Refusal(step, `"sine.low" (${low}) must be below "sine.high" (${high})`)
    const periodRaw = own(fields, 'period')
    if (periodRaw === undefined)
      throw new Refusal(step, `"sine" needs "period" (${unitName(unit)})`)
    const period = position(periodRaw, unit, step, '"sine.period"', false)
    const phase = own(fields, 'phase') ?? 0
    if (typeof phase !== 'number' || !(phase >= 0 && phase < 1)) {
      throw new Refusal(
        step,
        `"sine.phase" is a fraction of a period in [0, 1), got ${describe(phase)}`
      )
    }
    return { kind, low, high, period, phase }
  }
  const low = p('low', 0)
  const high = p('high', 1)
  if (!(low < high))
    throw new Refusal(step, `"walk.low" (${low}) must be below "walk.high" (${high})`)
  const from = p('from')
  if (from < low || from > high)
    throw new Refusal(step, `"walk.from" (${from}) must lie in [${low}, ${high}]`)
  const stepSize = own(fields, 'step')
  if (typeof stepSize !== 'number' || !(stepSize > 0 && stepSize <= high - low)) {
    throw new Refusal(
      step,
      `"walk.step" must be a number above 0 and at most ${high - low}, got ${describe(stepSize)}`
    )
  }
  const seed = own(fields, 'seed')
  if (seed !== undefined && !isSeed(seed)) {
    throw new Refusal(
      step,
      `"walk.seed" must be a whole number from 1 to ${MAX_SEED}, got ${describe(seed)}`
    )
  }
  return { kind, from, step: stepSize, low, high, seed: seed ?? null }
}

function checkOrder(steps: ScenarioStep[], unit: ScenarioUnit): void {
  for (let i = 1; i < steps.length; i++) {
    const previous = steps[i - 1]!
    const current = steps[i]!
    if (!(current.at > previous.at)) {
      throw new Refusal(
        i + 1,
        `"at" ${current.at} is not after step ${i}'s ${previous.at}; steps go in time order`
      )
    }
    if (previous.kind !== 'set' && current.at < previous.until) {
      throw new Refusal(
        i + 1,
        `starts at ${current.at} ${unitName(unit)}, inside step ${i}'s ${previous.kind} (${previous.at}–${previous.until})`
      )
    }
  }
}

/**
 * A looping seconds scenario changes at most once every {@link MIN_LOOP_GAP_S}: between steps,
 * within a segment, and from the last step to the next pass. A segment ending exactly where the
 * next step (or pass) begins makes one change there, not two.
 */
function checkLoopPace(steps: ScenarioStep[], duration: number): void {
  const why = 'a looping scenario changes at most once a millisecond'
  // Positions are decimals read as floats: 0.003 − 0.002 is a hair under 0.001.
  const tooClose = (gap: number): boolean => gap < MIN_LOOP_GAP_S - 1e-9
  let previousEnd: number | null = null
  steps.forEach((step, index) => {
    const gap = previousEnd === null ? null : step.at - previousEnd
    if (gap !== null && tooClose(gap) && !(gap === 0 && steps[index - 1]!.kind !== 'set')) {
      throw new Refusal(
        index + 1,
        `starts at ${step.at} s, less than 1 ms after step ${index}'s last change at ${previousEnd} s; ${why}`
      )
    }
    if (step.kind !== 'set' && tooClose(step.until - step.at)) {
      throw new Refusal(index + 1, `lasts less than 1 ms (${step.at}–${step.until} s); ${why}`)
    }
    previousEnd = step.kind === 'set' ? step.at : step.until
  })
  const last = steps[steps.length - 1]!
  const tail = duration - previousEnd!
  if (tooClose(tail) && !(tail === 0 && last.kind !== 'set')) {
    throw new Refusal(
      steps.length,
      `makes its last change at ${previousEnd} s, less than 1 ms before the next pass begins at "duration" ${duration} s; ${why}`
    )
  }
}

function readEvery(raw: unknown, unit: ScenarioUnit, step: number): number {
  const value = position(raw, unit, step, '"every"', false)
  if (unit === 'seconds' && value < MIN_EVERY_S) {
    throw new Refusal(step, `"every" must be at least ${MIN_EVERY_S} s, got ${value}`)
  }
  return value
}

/** A position in the unit: a finite number in [0, MAX_POSITION], a whole one for samples. */
function position(
  raw: unknown,
  unit: ScenarioUnit,
  step: number | null,
  what: string,
  zeroOk: boolean
): number {
  const whole = unit === 'samples'
  if (
    typeof raw !== 'number' ||
    !Number.isFinite(raw) ||
    raw < 0 ||
    (!zeroOk && raw === 0) ||
    raw > MAX_POSITION ||
    (whole && !Number.isInteger(raw))
  ) {
    const kind = whole ? 'a whole number of samples' : 'a number of seconds'
    const range = zeroOk ? `from 0 to ${MAX_POSITION}` : `above 0, up to ${MAX_POSITION}`
    throw new Refusal(step, `${what} must be ${kind} ${range}, got ${describe(raw)}`)
  }
  return raw
}

function optionalChecked(
  fields: Record<string, unknown>,
  key: string,
  step: number,
  check: (value: unknown) => { ok: true; value: number } | { ok: false; message: string }
): number | null {
  const raw = own(fields, key)
  if (raw === undefined) return null
  const checked = check(raw)
  if (!checked.ok) throw new Refusal(step, `"${key}": ${checked.message}`)
  return checked.value
}

function optionalText(fields: Record<string, unknown>, key: string, max: number): string | null {
  const raw = own(fields, key)
  if (raw === undefined) return null
  if (typeof raw !== 'string' || raw.length > max) {
    throw new Refusal(null, `"${key}" must be text of at most ${max} characters`)
  }
  return raw
}

function record(raw: unknown, step: number | null, reason: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Refusal(step, reason)
  return raw as Record<string, unknown>
}

function onlyFields(
  fields: Record<string, unknown>,
  allowed: string[],
  step: number | null,
  what: string
): void {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) {
      throw new Refusal(
        step,
        `unknown field ${JSON.stringify(key.slice(0, 40))} in ${what}; expected ${allowed.map((k) => `"${k}"`).join(', ')}`
      )
    }
  }
}

// Own properties only: a "__proto__" key in a file must never reach us via the prototype.
function own(fields: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined
}

function unitName(unit: ScenarioUnit): string {
  return unit === 'seconds' ? 's' : 'samples'
}
