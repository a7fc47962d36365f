/** Sentences for the timeline's events: the change log and the chart marks' tooltips. */
import type { TimelineEvent, TrackingSetting } from '../posterior/timeline'
import type { ScenarioStepRef } from '../stream/stream-events'
import { formatBetaShape, formatCount, formatInterval } from './format'

/** One line of text for `event`. */
export function describeEvent(event: TimelineEvent): string {
  switch (event.kind) {
    case 'joined':
      return event.p === null ? 'page joined the run' : `page joined the run at p = ${event.p}`
    case 'known':
      return `true p is ${event.p}`
    case 'seed':
      return event.seed === null ? 'reseeded' : `reseeded: seed ${event.seed}`
    case 'p': {
      const change = event.previous === null ? `p → ${event.p}` : `p ${event.previous} → ${event.p}`
      return event.scenario ? `${change} (${scenarioStepText(event.scenario)})` : change
    }
    case 'scenario':
      return describeScenarioEvent(event)
    case 'interval':
      return event.previous === null
        ? `interval → ${formatInterval(event.intervalMs)}`
        : `interval ${formatInterval(event.previous)} → ${formatInterval(event.intervalMs)}`
    case 'running':
      return event.running ? 'stream started' : 'stream stopped'
    case 'gap': {
      const count = event.to - event.from + 1
      const what = `samples ${formatCount(event.from)}–${formatCount(event.to)}`
      if (event.beforeJoin)
        return `${what} (${formatCount(count)}) were drawn before this page joined and are no longer held by the server`
      return `${what} lost (${formatCount(count)})${event.announced ? '' : ', found by sequence numbers'}`
    }
    case 'restart':
      return 'server restarted: its new run is counted from its first sample'
    case 'reset':
      return 'posterior reset (prior kept)'
    case 'prior':
      return `prior → ${formatBetaShape(event.prior.alpha, event.prior.beta)}`
    case 'memory':
      return `tracking → ${describeTracking(event.setting)}`
  }
}

function scenarioStepText(step: ScenarioStepRef): string {
  return `scenario ${step.name}, step ${step.step} of ${step.steps}`
}

function describeScenarioEvent(event: Extract<TimelineEvent, { kind: 'scenario' }>): string {
  switch (event.what) {
    case 'loaded':
      return `scenario ${event.name} loaded (${event.steps} ${event.steps === 1 ? 'step' : 'steps'})`
    case 'ended':
      return `scenario ${event.name} removed`
    case 'finished':
      return `scenario ${event.name} finished`
    case 'pass':
      return `scenario ${event.name}: pass ${event.pass} begins`
    case 'step':
      return scenarioStepText(event)
  }
}

/** The tracking model in words, e.g. "window of the last 200 samples". */
export function describeTracking(setting: TrackingSetting): string {
  switch (setting.memory) {
    case 'all':
      return 'off (full memory only)'
    case 'window':
      return `window of the last ${formatCount(setting.windowSize)} samples`
    case 'forgetting':
      return `forgetting, λ = ${setting.forgetting}`
  }
}
