/**
 * The composition root: builds the page's three layers once, wired to the browser (WebSocket,
 * timers, animation frames, storage) and, in the desktop window, to the preload bridge.
 */
import { systemClock } from '../../shared/clock'
import { recordFrameWork } from './charts/chart-counters'
import { ChartView } from './charts/chart-view.svelte'
import { browserRequestFrame } from './charts/frame-coalescer'
import { FrameScheduler } from './charts/frame-scheduler.svelte'
import type { AppLayers } from './components/app-context'
import { PosteriorSettings } from './posterior/posterior-settings.svelte'
import { resolveConnectionTarget } from './stream/connection-target'
import { Controller } from './stream/controller.svelte'
import { takeTokenFromFragment } from './stream/fragment-token'
import { ScenarioClient } from './stream/scenario-client'
import { ScenarioMirror } from './stream/scenario-mirror.svelte'
import { browserSocketFactory } from './stream/socket'
import { StreamSession } from './stream/stream-session.svelte'
import { TabStorage } from './stream/tab-storage'

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[kind]
  } catch {
    return null // disabled (private mode, sandboxed frame)
  }
}

/** Builds the page's layers. Call once. */
export function createPage(): AppLayers {
  const tab = new TabStorage(storage('sessionStorage'))
  // The token travels in the URL fragment once; from then on this tab keeps it in session
  // storage (a reload keeps control) and the address bar no longer shows it.
  const fragmentToken = takeTokenFromFragment(window.location, window.history)
  if (fragmentToken !== null) tab.saveToken(fragmentToken)

  const settings = new PosteriorSettings(storage('localStorage'), () => Date.now())
  const session = new StreamSession({
    resolveTarget: () =>
      resolveConnectionTarget(window.bernoulli ?? null, window.location, tab.loadToken()),
    openSocket: browserSocketFactory,
    clock: systemClock,
    random: Math.random,
    sink: settings.engine,
    tab
  })
  const scenarios = new ScenarioClient(
    (url, init) => window.fetch(url, init),
    () => session.target?.httpUrl ?? null
  )
  const controller = new Controller(session, tab, scenarios)
  const scenario = new ScenarioMirror(session, scenarios)
  const view = new ChartView(settings.engine, storage('localStorage'))
  const frames = new FrameScheduler(
    { settings, mirror: session.mirror, view },
    {
      requestFrame: browserRequestFrame,
      frameClock: () => performance.now(),
      onFrameWork: recordFrameWork
    }
  )
  return { session, controller, scenario, settings, view, frames }
}
