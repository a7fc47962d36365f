/**
 * How the user chose to look at the charts: the density's range (follow the mass, or all of
 * [0, 1]) and the estimate chart's x axis (linear n, log n, or the last W samples). Reactive for
 * the controls, saved for next time; each change tells the frame scheduler which chart to redraw.
 */
import { DEFAULT_VIEW_WINDOW } from '../posterior/estimate-history'
import type { PosteriorEngine } from '../posterior/posterior-engine'
import { readStored, writeStored, type KeyValueStorage } from '../posterior/settings-storage'
import type { ChartName } from './chart-stagger'

/** The density chart's x range: where the posterior mass is, or all of [0, 1]. */
export type DensityView = 'mass' | 'full'

/** The estimate chart's x axis. */
export type EstimateScale = 'linear' | 'log' | 'window'

/** Every {@link EstimateScale}, in the order the select offers them. */
export const ESTIMATE_SCALES: readonly EstimateScale[] = ['log', 'linear', 'window']

/** The choices of W for the window view, in samples. */
export const VIEW_WINDOWS: readonly number[] = [500, 2000, 10_000, 100_000]

/** Defaults: follow the mass; log n keeps early and recent history readable at any n. */
export const DEFAULT_DENSITY_VIEW: DensityView = 'mass'
export const DEFAULT_ESTIMATE_SCALE: EstimateScale = 'log'

const KEY = 'bernoulli-stream.chart-view.v1'

/** The chart view settings. */
export class ChartView {
  #density = $state<DensityView>(DEFAULT_DENSITY_VIEW)
  #scale = $state<EstimateScale>(DEFAULT_ESTIMATE_SCALE)
  #window = $state(DEFAULT_VIEW_WINDOW)

  readonly #engine: PosteriorEngine
  readonly #storage: KeyValueStorage | null
  // Listeners, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #listeners = new Set<(chart: ChartName) => void>()

  /**
   * @param engine whose history keeps the window view's points.
   * @param storage where the choices persist (local storage); null keeps nothing.
   */
  constructor(engine: PosteriorEngine, storage: KeyValueStorage | null) {
    this.#engine = engine
    this.#storage = storage
    const stored = readStored(storage, KEY)
    if (stored?.density === 'mass' || stored?.density === 'full') this.#density = stored.density
    if (ESTIMATE_SCALES.includes(stored?.scale as EstimateScale))
      this.#scale = stored?.scale as EstimateScale
    if (VIEW_WINDOWS.includes(stored?.window as number)) this.#window = stored?.window as number
    if (this.#window !== engine.history.viewWindow) engine.setViewWindow(this.#window)
  }

  get density(): DensityView {
    return this.#density
  }

  get scale(): EstimateScale {
    return this.#scale
  }

  /** W of the window view, in samples. */
  get window(): number {
    return this.#window
  }

  /** Calls `listener` with the chart a change affects; returns an unsubscribe. */
  onChange(listener: (chart: ChartName) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  setDensity(view: DensityView): void {
    if (view === this.#density) return
    this.#density = view
    this.#changed('density')
  }

  setScale(scale: EstimateScale): void {
    if (scale === this.#scale) return
    this.#scale = scale
    this.#changed('estimate')
  }

  /** @throws RangeError unless `window` is one of {@link VIEW_WINDOWS}. */
  setWindow(window: number): void {
    if (!VIEW_WINDOWS.includes(window))
      throw new RangeError(`window must be one of ${VIEW_WINDOWS.join(', ')}, got ${window}`)
    if (window === this.#window) return
    this.#window = window
    this.#engine.setViewWindow(window)
    this.#changed('estimate')
  }

  #changed(chart: ChartName): void {
    writeStored(this.#storage, KEY, {
      density: this.#density,
      scale: this.#scale,
      window: this.#window
    })
    for (const listener of this.#listeners) listener(chart)
  }
}
