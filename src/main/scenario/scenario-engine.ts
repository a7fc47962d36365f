import { counterUniform, RandomDomain } from '../random/counter-random'
import type { Scenario, ScenarioStep, SegmentStep, WalkShape } from './scenario'

/**
 * Where the stream is in a scenario: streaming time (ms, due times of samples, pausing while
 * the sampler is stopped) and samples drawn since the scenario started. Each scenario reads the
 * one its unit names.
 */
export interface ScenarioPosition {
  elapsedMs: number
  samples: number
}

/** What changed at a trigger the stream reached: only the fields that changed are non-null. */
export interface ScenarioUpdate {
  p: number | null
  intervalMs: number | null
  /** The scenario ended with `end: 'stop'`: stop the sampler. */
  stop: boolean
  /**
   * With a new interval: the position of the step that set it (ms of streaming, or a sample
   * count). The sampler anchors the new schedule there, so timing never depends on when a timer
   * fired. Null otherwise.
   */
  intervalFrom: number | null
  progress: ScenarioProgress
}

/** Where a scenario is, for `hello`, `state` and `/status`. */
export interface ScenarioProgress {
  name: string
  unit: Scenario['unit']
  /** Steps in the scenario. */
  steps: number
  /** 1-based number of the step in force; 0 before the first step. */
  step: number
  /** 1-based pass (always 1 without `loop`). */
  pass: number
  loop: boolean
  /** The last step (or `duration`) has been reached and nothing more will change. */
  done: boolean
}

/** The p and interval that apply to a sample at some position, before p or interval rules. */
interface Settings {
  p: number
  intervalMs: number
  stepIndex: number
  pass: number
  /** Absolute position (scaled) of the step that set the interval in force; 0 for the initial one. */
  intervalFrom: number
  done: boolean
  stop: boolean
}

// Positions are compared with this slack (in ms or samples): due times are sums of floats.
const EPS = 1e-6
// Reported p is rounded to a millionth: state messages stay readable, values stay exact.
const P_DIGITS = 1e6
const WALK_STEP_BITS = 2 ** 17
const WALK_STEPS_PER_PASS = 1024

/**
 * Runs a validated {@link Scenario} without timers or clocks: the caller says where the stream
 * is (before each sample it draws) and the engine answers what changed since the last call, if
 * anything. Pure given its inputs: the same scenario, seed and positions give the same updates,
 * and a random walk draws from its own counter-based domain, never from the sample generator.
 */
export class ScenarioEngine {
  readonly scenario: Scenario
  readonly #steps: ScenarioStep[]
  readonly #scale: number
  readonly #duration: number | null
  readonly #initial: { p: number; intervalMs: number }
  readonly #seed: number
  readonly #walkCache = new Map<number, { pass: number; index: number; value: number }>()
  #reported: Settings
  #next = 0

  /**
   * @param initial the stream's p and interval when the scenario starts (they apply until the
   *   first step sets them).
   * @param seed the stream's seed, for walks that name none (nor the scenario).
   */
  constructor(scenario: Scenario, initial: { p: number; intervalMs: number }, seed: number) {
    this.scenario = scenario
    this.#scale = scenario.unit === 'seconds' ? 1000 : 1
    this.#steps = scenario.steps.map((step) => scaleStep(step, this.#scale))
    this.#duration = scenario.duration === null ? null : scenario.duration * this.#scale
    this.#initial = { ...initial }
    this.#seed = scenario.seed ?? seed
    this.#reported = {
      ...this.#initial,
      stepIndex: -1,
      pass: 0,
      intervalFrom: 0,
      done: false,
      stop: false
    }
  }

  /**
   * The changes due for a sample at `position` since the last call (net: several triggers passed
   * at once give one update), or null when nothing changed. Positions must not go backwards.
   * Cheap when nothing is due: one comparison.
   */
  advance(position: ScenarioPosition): ScenarioUpdate | null {
    const x = this.#positionOf(position)
    if (x + EPS < this.#next) return null
    const now = this.#settingsAt(x)
    this.#next = this.#nextTriggerAfter(x, now)
    const before = this.#reported
    this.#reported = now
    const p = now.p !== before.p ? now.p : null
    const intervalMs = now.intervalMs !== before.intervalMs ? now.intervalMs : null
    const stop = now.stop && !before.stop
    const progressed =
      now.stepIndex !== before.stepIndex || now.pass !== before.pass || now.done !== before.done
    if (p === null && intervalMs === null && !stop && !progressed) return null
    return {
      p,
      intervalMs,
      stop,
      intervalFrom: intervalMs === null ? null : now.intervalFrom,
      progress: this.progress()
    }
  }

  /**
   * Position of the next trigger (ms of streaming, or a sample count), Infinity when nothing
   * more will change: a sampler sleeping through a long interval wakes here for a new one.
   */
  get nextTrigger(): number {
    return this.#next
  }

  /** Where the stream was at the last {@link advance}. */
  progress(): ScenarioProgress {
    const s = this.#reported
    return {
      name: this.scenario.name,
      unit: this.scenario.unit,
      steps: this.#steps.length,
      step: s.stepIndex + 1,
      pass: s.pass + 1,
      loop: this.scenario.loop,
      done: s.done
    }
  }

  /**
   * The p and interval that apply at `position`, without moving the engine: for tests and for
   * showing what a scenario will do.
   */
  settingsAt(position: ScenarioPosition): { p: number; intervalMs: number } {
    const { p, intervalMs } = this.#settingsAt(this.#positionOf(position))
    return { p, intervalMs }
  }

  #positionOf(position: ScenarioPosition): number {
    return this.scenario.unit === 'seconds' ? position.elapsedMs : position.samples
  }

  #split(x: number): { pass: number; local: number } {
    const d = this.#duration
    if (!this.scenario.loop || d === null) return { pass: 0, local: x }
    const pass = Math.floor((x + EPS) / d)
    return { pass, local: Math.max(0, x - pass * d) }
  }

  /** Index of the last step with `at` ≤ local, −1 before the first. */
  #stepAt(local: number): number {
    let low = 0
    let high = this.#steps.length - 1
    let found = -1
    while (low <= high) {
      const mid = (low + high) >> 1
      if (this.#steps[mid]!.at <= local + EPS) {
        found = mid
        low = mid + 1
      } else high = mid - 1
    }
    return found
  }

  #settingsAt(x: number): Settings {
    const { pass, local } = this.#split(x)
    const index = this.#stepAt(local)
    const offset = pass * (this.#duration ?? 0)
    let p = this.#initial.p
    let intervalMs = this.#initial.intervalMs
    let intervalFrom = 0
    // p: the latest step at or before this one that sets it.
    for (let i = index; i >= 0; i--) {
      const step = this.#steps[i]!
      if (step.kind === 'set' && step.p === null) continue
      p =
        step.kind === 'set'
          ? step.p!
          : this.#segmentValue(step, i, pass, i === index ? tickAt(step, local) : lastTick(step))
      break
    }
    // Interval: the latest step in this pass that sets one; in later passes, the pass's last one.
    let intervalFound = false
    for (let i = index; i >= 0; i--) {
      const value = this.#steps[i]!.intervalMs
      if (value !== null) {
        intervalMs = value
        intervalFrom = offset + this.#steps[i]!.at
        intervalFound = true
        break
      }
    }
    if (!intervalFound && pass > 0) {
      for (let i = this.#steps.length - 1; i >= 0; i--) {
        const value = this.#steps[i]!.intervalMs
        if (value !== null) {
          intervalMs = value
          intervalFrom = offset - (this.#duration ?? 0) + this.#steps[i]!.at
          break
        }
      }
    }
    const last = this.#steps[this.#steps.length - 1]!
    const lastEnd = last.kind === 'set' ? last.at : last.until
    const d = this.#duration
    const done = !this.scenario.loop && local + EPS >= lastEnd && (d === null || x + EPS >= d)
    const stop = done && this.scenario.end === 'stop'
    return {
      p,
      intervalMs,
      stepIndex: index,
      pass,
      intervalFrom,
      done,
      stop
    }
  }

  #nextTriggerAfter(x: number, now: Settings): number {
    if (now.done) return Infinity
    const { local } = this.#split(x)
    const offset = now.pass * (this.#duration ?? 0)
    let next = Infinity
    const current = this.#steps[now.stepIndex]
    if (current && current.kind !== 'set' && local + EPS < current.until) {
      next = tickPosition(current, tickAt(current, local) + 1)
    }
    const following = this.#steps[now.stepIndex + 1]
    if (following) next = Math.min(next, following.at)
    if (this.#duration !== null) next = Math.min(next, this.#duration)
    if (next === Infinity) {
      // Past the last step without a duration: "done" once the last step has begun.
      return Infinity
    }
    return offset + next
  }

  #segmentValue(step: SegmentStep, index: number, pass: number, tick: number): number {
    const shape = step.shape
    const length = step.until - step.at
    const t = tickPosition(step, tick) - step.at
    let value: number
    if (shape.kind === 'ramp') value = shape.from + ((shape.to - shape.from) * t) / length
    else if (shape.kind === 'sine') {
      const mid = (shape.low + shape.high) / 2
      const amplitude = (shape.high - shape.low) / 2
      value = mid + amplitude * Math.sin(2 * Math.PI * (t / shape.period + shape.phase))
    } else value = this.#walk(shape, index, pass, tick)
    return Math.min(1, Math.max(0, Math.round(value * P_DIGITS) / P_DIGITS))
  }

  /** The walk's p after `steps` moves; cached so a stream moving forward costs one move each. */
  #walk(shape: WalkShape, index: number, pass: number, steps: number): number {
    let cached = this.#walkCache.get(index)
    if (!cached || cached.pass !== pass || cached.index > steps) {
      cached = { pass, index: 0, value: shape.from }
    }
    const seed = shape.seed ?? this.#seed
    const base = ((pass % 2 ** 26) * WALK_STEPS_PER_PASS + index) * WALK_STEP_BITS
    let value = cached.value
    for (let k = cached.index + 1; k <= steps; k++) {
      const up = counterUniform(seed, base + k, RandomDomain.ScenarioWalk) < 0.5
      value += up ? shape.step : -shape.step
      if (value > shape.high) value = 2 * shape.high - value
      if (value < shape.low) value = 2 * shape.low - value
    }
    this.#walkCache.set(index, { pass, index: steps, value })
    return value
  }
}

/** Number of the segment's update at or before `local` (0 at `at`, the last one at `until`). */
function tickAt(step: SegmentStep, local: number): number {
  if (local + EPS >= step.until) return lastTick(step)
  return Math.max(0, Math.floor((local - step.at + EPS) / step.every))
}

function lastTick(step: SegmentStep): number {
  return Math.ceil((step.until - step.at) / step.every - EPS)
}

function tickPosition(step: SegmentStep, tick: number): number {
  return Math.min(step.at + tick * step.every, step.until)
}

function scaleStep(step: ScenarioStep, scale: number): ScenarioStep {
  if (step.kind === 'set') return { ...step, at: step.at * scale }
  const shape =
    step.shape.kind === 'sine' ? { ...step.shape, period: step.shape.period * scale } : step.shape
  return {
    ...step,
    at: step.at * scale,
    until: step.until * scale,
    every: step.every * scale,
    shape
  }
}
