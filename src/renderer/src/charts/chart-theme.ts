import type { Chart } from 'chart.js'

/**
 * Chart colours come from CSS custom properties (see app.css), so light and dark themes follow
 * the system's prefers-color-scheme without chart code knowing either palette.
 */

/** Colours the charts use, as CSS colour strings. */
export interface ChartTheme {
  text: string
  grid: string
  /** Full-memory posterior: density and mean. */
  full: string
  /** Full memory's credible interval / band. */
  fullBand: string
  /** Tracking posterior (window or forgetting): density and mean. */
  tracking: string
  trackingBand: string
  /** The prior's density, drawn faintly. */
  priorCurve: string
  /** True p (line and p-change marks). */
  truth: string
  /** Interval-change marks. */
  interval: string
  /** Gap marks. */
  gap: string
  /** Prior-change marks. */
  prior: string
  /** Restart and join marks. */
  neutral: string
  /** Scenario marks (loaded, ended, finished). */
  scenario: string
}

const VARIABLES: Record<keyof ChartTheme, string> = {
  text: '--chart-text',
  grid: '--chart-grid',
  full: '--chart-full',
  fullBand: '--chart-full-band',
  tracking: '--chart-tracking',
  trackingBand: '--chart-tracking-band',
  priorCurve: '--chart-prior-curve',
  truth: '--chart-truth',
  interval: '--chart-interval',
  gap: '--chart-gap',
  prior: '--chart-prior',
  neutral: '--chart-neutral',
  scenario: '--chart-scenario'
}

/** Reads the current theme from `element`'s computed style (grey where a variable is missing). */
export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element)
  const theme = {} as ChartTheme
  for (const [key, variable] of Object.entries(VARIABLES) as Array<[keyof ChartTheme, string]>) {
    theme[key] = style.getPropertyValue(variable).trim() || '#888'
  }
  return theme
}

/** Calls `onChange` whenever the system colour scheme flips; returns an unsubscribe. */
export function watchColorScheme(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {}
  const query = matchMedia('(prefers-color-scheme: dark)')
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

/** A cartesian axis's options as a plain object (chart.js's own types are a union with radial scales). */
export interface AxisOptions {
  [option: string]: unknown
  grid?: Record<string, unknown>
  ticks?: Record<string, unknown>
  title?: Record<string, unknown>
}

/**
 * The plain options object of the chart's axis `key`. `chart.options` is a resolving proxy over
 * it; spreading the proxy, or writing through it into nested defaults, is not safe; writing to
 * the plain object and calling `update()` is.
 */
export function axisOptions(chart: Chart, key: 'x' | 'y'): AxisOptions {
  const options = (chart.config.options ??= {}) as { scales?: Record<string, AxisOptions> }
  const scales = (options.scales ??= {})
  return (scales[key] ??= {})
}

/** Replaces the chart's axis `key` options (a new kind of axis). */
export function replaceAxis(chart: Chart, key: 'x' | 'y', axis: AxisOptions): void {
  const options = (chart.config.options ??= {}) as { scales?: Record<string, AxisOptions> }
  ;(options.scales ??= {})[key] = axis
}

/** Colours the axes (grid, ticks, titles) of a chart with x and y scales. */
export function paintFrame(chart: Chart, theme: ChartTheme): void {
  for (const key of ['x', 'y'] as const) {
    const axis = axisOptions(chart, key)
    axis.grid = { ...axis.grid, color: theme.grid }
    axis.ticks = { ...axis.ticks, color: theme.text }
    axis.title = { ...axis.title, color: theme.text }
  }
}

/**
 * Paints `chart` with the theme read from `element` now and again whenever the system colour
 * scheme changes; returns the function that stops following it.
 */
export function followTheme(
  chart: Chart,
  element: Element,
  paint: (chart: Chart, theme: ChartTheme) => void
): () => void {
  paint(chart, readChartTheme(element))
  return watchColorScheme(() => {
    paint(chart, readChartTheme(element))
    chart.update('none')
  })
}
