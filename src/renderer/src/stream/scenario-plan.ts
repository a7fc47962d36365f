/**
 * The running scenario as `GET /v1/scenario` describes it (the server's validated form, see
 * docs/protocol.md), read from `unknown` into what the page shows: its steps, in order. Anything
 * malformed is refused as a whole (null) rather than half-shown.
 */

/** Positions count seconds of streaming or samples drawn since the scenario started. */
export type ScenarioUnit = 'seconds' | 'samples'

/** How p moves during a segment. */
export type SegmentShape =
  | { kind: 'ramp'; from: number; to: number }
  | { kind: 'sine'; low: number; high: number; period: number; phase: number }
  | { kind: 'walk'; from: number; step: number; low: number; high: number }

/** One step: p and/or the interval set at `at`, or p moving from `at` to `until`. */
export type ScenarioStepView =
  | { kind: 'set'; at: number; p: number | null; intervalMs: number | null }
  | {
      kind: 'segment'
      at: number
      until: number
      every: number
      intervalMs: number | null
      shape: SegmentShape
    }

/** A scenario's plan. */
export interface ScenarioPlan {
  /** The name it was loaded under (its file's name when it has none of its own). */
  name: string
  description: string
  unit: ScenarioUnit
  loop: boolean
  /** Length of one pass, in the unit; null when open-ended. */
  duration: number | null
  /** At `duration` (without `loop`): keep the last settings, or stop the sampler. */
  end: 'hold' | 'stop'
  steps: ScenarioStepView[]
}

// The server refuses scenarios with more steps; a longer list is not its answer.
const MAX_STEPS = 1000

/**
 * Reads the body of `GET /v1/scenario`: the plan of the running scenario, or null when none runs
 * (or the body is not the server's).
 */
export function parseScenarioDocument(body: unknown): ScenarioPlan | null {
  if (!isRecord(body) || !isRecord(body.scenario)) return null
  const { scenario } = body
  const name = typeof body.name === 'string' && body.name ? body.name : str(scenario.name)
  const { unit, loop, duration, end, steps } = scenario
  if (name === null || (unit !== 'seconds' && unit !== 'samples')) return null
  if (typeof loop !== 'boolean' || (end !== 'hold' && end !== 'stop')) return null
  if (duration !== null && !isPosition(duration)) return null
  if (!Array.isArray(steps) || steps.length > MAX_STEPS) return null
  const views: ScenarioStepView[] = []
  for (const step of steps) {
    const view = readStep(step)
    if (!view) return null
    views.push(view)
  }
  return {
    name,
    description: str(scenario.description) ?? '',
    unit,
    loop,
    duration,
    end,
    steps: views
  }
}

function readStep(step: unknown): ScenarioStepView | null {
  if (!isRecord(step) || !isPosition(step.at)) return null
  const intervalMs =
    step.intervalMs === null ? null : isPositive(step.intervalMs) ? step.intervalMs : undefined
  if (intervalMs === undefined) return null
  if (step.kind === 'set') {
    const p = step.p === null ? null : isProbability(step.p) ? step.p : undefined
    if (p === undefined) return null
    return { kind: 'set', at: step.at, p, intervalMs }
  }
  if (step.kind !== 'ramp' && step.kind !== 'sine' && step.kind !== 'walk') return null
  if (!isPosition(step.until) || !isPositive(step.every)) return null
  const shape = readShape(step.kind, step.shape)
  if (!shape) return null
  return { kind: 'segment', at: step.at, until: step.until, every: step.every, intervalMs, shape }
}

function readShape(kind: 'ramp' | 'sine' | 'walk', shape: unknown): SegmentShape | null {
  if (!isRecord(shape)) return null
  switch (kind) {
    case 'ramp':
      return isProbability(shape.from) && isProbability(shape.to)
        ? { kind, from: shape.from, to: shape.to }
        : null
    case 'sine':
      return isProbability(shape.low) &&
        isProbability(shape.high) &&
        isPositive(shape.period) &&
        isPosition(shape.phase)
        ? { kind, low: shape.low, high: shape.high, period: shape.period, phase: shape.phase }
        : null
    case 'walk':
      return isProbability(shape.from) &&
        isProbability(shape.step) &&
        isProbability(shape.low) &&
        isProbability(shape.high)
        ? { kind, from: shape.from, step: shape.step, low: shape.low, high: shape.high }
        : null
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function isPositive(value: unknown): value is number {
  return isPosition(value) && value > 0
}

function isProbability(value: unknown): value is number {
  return isPosition(value) && value <= 1
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
