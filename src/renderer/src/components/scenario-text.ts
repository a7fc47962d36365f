/** Sentences for a scenario's plan and progress. */
import type { ScenarioProgress } from '../../../shared/protocol/messages'
import type { ScenarioPlan, ScenarioStepView, ScenarioUnit } from '../stream/scenario-plan'
import { formatCount, formatInterval } from './format'

/** A position in the scenario's unit: "20 s", "1,500 samples". */
export function formatPosition(value: number, unit: ScenarioUnit): string {
  return unit === 'seconds'
    ? `${Number(value.toPrecision(6))} s`
    : `${formatCount(value)} ${value === 1 ? 'sample' : 'samples'}`
}

/** One step in words, e.g. "at 20 s: p = 0.7" or "25–30 s: p ramps 0.75 → 0.5, every 0.5 s". */
export function describeStep(step: ScenarioStepView, unit: ScenarioUnit): string {
  const interval = step.intervalMs === null ? null : `interval ${formatInterval(step.intervalMs)}`
  if (step.kind === 'set') {
    const parts = [step.p === null ? null : `p = ${step.p}`, interval].filter(Boolean)
    return `at ${formatPosition(step.at, unit)}: ${parts.join(', ') || 'no change'}`
  }
  const span =
    unit === 'seconds'
      ? `${Number(step.at.toPrecision(6))}–${formatPosition(step.until, unit)}`
      : `samples ${formatCount(step.at)}–${formatCount(step.until)}`
  const { shape } = step
  let motion: string
  switch (shape.kind) {
    case 'ramp':
      motion = `p ramps ${shape.from} → ${shape.to}`
      break
    case 'sine':
      motion = `p waves between ${shape.low} and ${shape.high}, period ${formatPosition(shape.period, unit)}`
      break
    case 'walk':
      motion = `p walks from ${shape.from} by ±${shape.step} within [${shape.low}, ${shape.high}]`
      break
  }
  const every = `every ${formatPosition(step.every, unit)}`
  return `${span}: ${[motion, interval, every].filter(Boolean).join(', ')}`
}

/** What happens after the last step: "then again from the start (every 40 s)", … */
export function describeEnd(plan: ScenarioPlan): string | null {
  if (plan.duration === null) return null
  const at = formatPosition(plan.duration, plan.unit)
  if (plan.loop) return `then again from the start: one pass lasts ${at}`
  return plan.end === 'stop' ? `the stream stops at ${at}` : `it ends at ${at}`
}

/** Where the stream is: "step 2 of 5, pass 3", "finished", "before its first step". */
export function describeProgress(progress: ScenarioProgress): string {
  if (progress.done)
    return `finished (${progress.steps} ${progress.steps === 1 ? 'step' : 'steps'})`
  const where =
    progress.step === 0
      ? `before its first step (of ${progress.steps})`
      : `step ${progress.step} of ${progress.steps}`
  return progress.loop ? `${where}, pass ${progress.pass}` : where
}
