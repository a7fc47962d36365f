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
