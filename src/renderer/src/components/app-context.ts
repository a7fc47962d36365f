/**
 * How components reach the page's layers: App provides them once through Svelte's context;
 * component tests provide their own (fakes at the edges, real layers in between).
 */
import { getContext, setContext } from 'svelte'
import type { ChartView } from '../charts/chart-view.svelte'
import type { FrameScheduler } from '../charts/frame-scheduler.svelte'
import type { PosteriorSettings } from '../posterior/posterior-settings.svelte'
import type { Controller } from '../stream/controller.svelte'
import type { ScenarioMirror } from '../stream/scenario-mirror.svelte'
import type { StreamSession } from '../stream/stream-session.svelte'

/** The page's layers, as components see them. */
export interface AppLayers {
  /** Stream layer: connection, sequence accounting, the mirror of the server's state. */
  session: StreamSession
  /** Stream layer: the one control interface. */
  controller: Controller
  /** Stream layer: the running scenario's plan. */
  scenario: ScenarioMirror
  /** Posterior layer: the user's choices and the engine they drive. */
  settings: PosteriorSettings
  /** Charts layer: how the user looks at the charts. */
  view: ChartView
  /** Charts layer: the values components draw, published once per frame. */
  frames: FrameScheduler
}

/** The context key; tests pass `new Map([[APP_CONTEXT, layers]])` as `context`. */
export const APP_CONTEXT = Symbol('bernoulli-stream.app')

/** Makes `layers` available to every component below the caller. */
export function provideApp(layers: AppLayers): void {
  setContext(APP_CONTEXT, layers)
}

/** The page's layers. @throws Error when no ancestor provided them (a wiring mistake). */
export function useApp(): AppLayers {
  const layers = getContext<AppLayers | undefined>(APP_CONTEXT)
  if (!layers) throw new Error('useApp() outside an App (no layers provided)')
  return layers
}
