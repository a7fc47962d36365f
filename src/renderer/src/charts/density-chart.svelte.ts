/**
 * Attachment that draws the density chart: full memory's density with its 95 % interval shaded,
 * the tracking posterior's likewise when on, the prior faintly, and the true p as a vertical
 * line. It reads one value only — the scheduler's density frame — and redraws in place (no
 * animation) exactly when that value is replaced.
 */
import type { Attachment } from 'svelte/attachments'
import { countDensityRedraw } from './chart-counters'
import { DENSITY_TOP, type DensityFrame, type XY } from './density-frame'
import { Chart, FAST_TICKS, STREAMING_CHART_OPTIONS } from './chart-setup'
import { axisOptions, followTheme, paintFrame, type ChartTheme } from './chart-theme'
import { tickLabel } from './tick-format'

const FULL_BAND = 0
const FULL = 1
const TRACKING_BAND = 2
const TRACKING = 3
const PRIOR = 4
const TRUTH = 5

/** `{@attach densityChart(scheduler)}` on a canvas. */
export function densityChart(source: {
  readonly density: DensityFrame
}): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const band = { data: [], fill: 'origin' as const, borderWidth: 0, pointRadius: 0 }
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { ...band },
          { data: [], borderWidth: 2, pointRadius: 0 },
          { ...band },
          { data: [], borderWidth: 2, pointRadius: 0 },
          { data: [], borderWidth: 1.5, borderDash: [3, 3], pointRadius: 0 },
          { data: [], borderWidth: 2, borderDash: [6, 4], pointRadius: 0 }
        ]
      },
      options: {
        ...STREAMING_CHART_OPTIONS,
        events: [],
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: 1,
            title: { display: true, text: 'p' },
            ticks: {
              ...FAST_TICKS,
              // A label at a bound just beside a round one would crowd it; the range is stated
              // above the chart.
              includeBounds: false,
              maxTicksLimit: 9,
              callback: tickLabel
            }
          },
          y: {
            type: 'linear',
            min: 0,
            max: DENSITY_TOP,
            title: { display: true, text: 'density (peak = 1)' },
            // The headroom above 1 is for the line, not a value worth a label.
            ticks: {
              ...FAST_TICKS,
              stepSize: 0.25,
              callback: (value) => (Number(value) > 1 ? '' : String(value))
            }
          }
        },
        plugins: { legend: { display: false }, tooltip: { enabled: false } }
      }
    })
    const stopWatching = followTheme(chart, canvas, paint)

    $effect(() => {
      const frame = source.density
      setData(chart, FULL_BAND, frame.full.band)
      setData(chart, FULL, frame.full.curve)
      setData(chart, TRACKING_BAND, frame.tracking?.band ?? [])
      setData(chart, TRACKING, frame.tracking?.curve ?? [])
      setData(chart, PRIOR, frame.prior)
      setData(
        chart,
        TRUTH,
        frame.trueP === null
          ? []
          : [
              { x: frame.trueP, y: 0 },
              { x: frame.trueP, y: DENSITY_TOP }
            ]
      )
      const x = axisOptions(chart, 'x')
      x.min = frame.from
      x.max = frame.to
      chart.update('none')
      countDensityRedraw(frame.full.curve.length)
    })

    return () => {
      stopWatching()
      chart.destroy()
    }
  }
}

function setData(chart: Chart, index: number, data: XY[]): void {
  const dataset = chart.data.datasets[index]
  if (dataset) dataset.data = data
}

function paint(chart: Chart, theme: ChartTheme): void {
  const colours: Array<[number, string]> = [
    [FULL_BAND, theme.fullBand],
    [FULL, theme.full],
    [TRACKING_BAND, theme.trackingBand],
    [TRACKING, theme.tracking],
    [PRIOR, theme.priorCurve],
    [TRUTH, theme.truth]
  ]
  for (const [index, colour] of colours) {
    const dataset = chart.data.datasets[index]
    if (!dataset) continue
    dataset.borderColor = colour
    dataset.backgroundColor = colour
  }
  paintFrame(chart, theme)
}
