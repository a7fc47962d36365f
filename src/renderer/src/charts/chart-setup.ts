/**
 * Registers only the chart.js parts the two charts use (line charts on linear scales, band fill,
 * legend, tooltips), so the rest of chart.js is tree-shaken away.
 */
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip
} from 'chart.js'

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip)

export { Chart }

/**
 * Options both charts share so they can redraw every frame cheaply: no animation, data already
 * in chart.js's internal `{x, y}` form and sorted by x (so it skips parsing and sorting), and
 * sizing from the container.
 */
export const STREAMING_CHART_OPTIONS = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  parsing: false,
  normalized: true
} as const
