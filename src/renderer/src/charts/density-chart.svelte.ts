/**
 * Attachment that draws the posterior density over p with the 95 % credible interval shaded and
 * the true p as a vertical line. Created once per canvas; redrawn in place (no animation) when
 * the inputs change, which the posterior publishes at most once per frame.
 */
import type { Attachment } from 'svelte/attachments'
import type { DensityCurve } from '../../../shared/posterior/beta-density'
import type { CredibleInterval } from '../../../shared/posterior/beta-summary'
import { countDensityRedraw } from './chart-counters'
import { densityPoints, intervalPoints, TOP, verticalLine } from './chart-data'
import { Chart, STREAMING_CHART_OPTIONS } from './chart-setup'
import { followTheme, paintFrame, type ChartTheme } from './chart-theme'

/** What the density chart draws. */
export interface DensityChartInput {
  curve: DensityCurve
  interval: CredibleInterval
  /** The server's p, or null before the first hello. */
  trueP: number | null
}

const CI = 0
const DENSITY = 1
const TRUTH = 2

/** `{@attach densityChart(() => input)}` on a canvas; `read` is re-run reactively. */
export function densityChart(read: () => DensityChartInput): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: '95 % credible interval',
            data: [],
            fill: 'origin',
            borderWidth: 0,
            pointRadius: 0
          },
          { label: 'posterior density', data: [], borderWidth: 2, pointRadius: 0 },
          { label: 'true p', data: [], borderWidth: 2, borderDash: [6, 4], pointRadius: 0 }
        ]
      },
      options: {
        ...STREAMING_CHART_OPTIONS,
        events: [],
        scales: {
          x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'p' } },
          y: {
            type: 'linear',
            min: 0,
            max: TOP,
            title: { display: true, text: 'density (peak = 1)' },
            // The headroom above 1 is for the line, not a value worth a label.
            ticks: { stepSize: 0.25, callback: (value) => (Number(value) > 1 ? '' : String(value)) }
          }
        },
        plugins: { legend: { position: 'bottom' }, tooltip: { enabled: false } }
      }
    })
    const stopWatching = followTheme(chart, canvas, paint)

    $effect(() => {
      const { curve, interval, trueP } = read()
      const points = densityPoints(curve)
      setData(chart, CI, intervalPoints(curve, interval.lower, interval.upper))
      setData(chart, DENSITY, points)
      setData(chart, TRUTH, verticalLine(trueP))
      const x = chart.options.scales?.x
      if (x) {
        x.min = curve.xMin
        x.max = curve.xMax
      }
      chart.update('none')
      countDensityRedraw(points.length)
    })

    return () => {
      stopWatching()
      chart.destroy()
    }
  }
}

function setData(chart: Chart, index: number, data: Array<{ x: number; y: number }>): void {
  const dataset = chart.data.datasets[index]
  if (dataset) dataset.data = data
}

function paint(chart: Chart, theme: ChartTheme): void {
  const [ci, density, truth] = chart.data.datasets
  if (ci) {
    ci.backgroundColor = theme.band
    ci.borderColor = theme.band
  }
  if (density) density.borderColor = theme.accent
  if (truth) truth.borderColor = theme.truth
  paintFrame(chart, theme)
}
