/**
 * Registers only the chart.js parts the two charts use (line charts on linear and log scales, band
 * fill, tooltips), so the rest of chart.js is tree-shaken away. The legends are HTML, in the
 * components, drawn from the same colour variables.
 */
import {
  Chart,
  Filler,
  LinearScale,
  LineController,
  LogarithmicScale,
  LineElement,
  PointElement,
  Tooltip
} from 'chart.js'

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Filler,
  Tooltip
)

export { Chart }

/**
 * Options both charts share so they can redraw every frame cheaply: no animation, data already
 * in chart.js's internal `{x, y}` form and sorted by x (so it skips parsing and sorting), lines
 * never split at gaps (no segmentation pass), and sizing from the container.
 */
export const STREAMING_CHART_OPTIONS = {
  animation: false,
  spanGaps: true,
  responsive: true,
  maintainAspectRatio: false,
  parsing: false,
  normalized: true
} as const

/**
 * Tick options that spare chart.js a measuring pass per redraw: a fixed label rotation (no
 * search for one that fits) and label sizes estimated from a sample of the labels.
 */
export const FAST_TICKS = { minRotation: 0, maxRotation: 0, sampleSize: 6 } as const
