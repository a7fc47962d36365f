import type { Chart } from 'chart.js'

/**
 * Chart colours come from CSS custom properties (see app.css), so light and dark themes follow
 * the system's prefers-color-scheme without chart code knowing either palette.
 */

/** Colours the charts use, as CSS colour strings. */
export interface ChartTheme {
  text: string
  grid: string
  /** Posterior density and posterior mean. */
  accent: string
  /** Credible-interval shading. */
  band: string
  /** True p. */
  truth: string
  /** Interval-change marks. */
  interval: string
  /** Gap marks. */
  gap: string
  /** Prior-change marks. */
  prior: string
}

const VARIABLES: Record<keyof ChartTheme, string> = {
  text: '--chart-text',
  grid: '--chart-grid',
  accent: '--chart-accent',
  band: '--chart-band',
  truth: '--chart-truth',
  interval: '--chart-interval',
  gap: '--chart-gap',
  prior: '--chart-prior'
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

// The cartesian-axis fields painted below; chart.js types scales as a union that includes radial
// scales, which have no title, hence the narrow local view.
interface PaintableAxis {
  grid?: { color?: unknown }
  ticks?: { color?: unknown }
  title?: { color?: unknown }
}

/** Colours the axes (grid, ticks, titles) and legend text of a chart with x and y scales. */
export function paintFrame(chart: Chart, theme: ChartTheme): void {
  for (const key of ['x', 'y']) {
    const axis = chart.options.scales?.[key] as PaintableAxis | undefined
    if (!axis) continue
    axis.grid = { ...axis.grid, color: theme.grid }
    axis.ticks = { ...axis.ticks, color: theme.text }
    axis.title = { ...axis.title, color: theme.text }
  }
  const legend = chart.options.plugins?.legend
  if (legend) legend.labels = { ...legend.labels, color: theme.text }
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
