/**
 * Attachment that draws the estimate over time: posterior mean with its 95 % band against the
 * sample count n, the true p as a step line (every change the user made), and marks where the
 * interval or the prior changed and where samples were lost.
 */
import type { Attachment } from 'svelte/attachments'
import type { EstimateSeries } from '../state/posterior.svelte'
import { countEstimateRedraw } from './chart-counters'
import { estimateChartData, type MarkPoint, type XY } from './chart-data'
import { Chart, STREAMING_CHART_OPTIONS } from './chart-setup'
import { followTheme, paintFrame, type ChartTheme } from './chart-theme'

const UPPER = 0
const LOWER = 1
const MEAN = 2
const TRUTH = 3
const INTERVAL_MARKS = 4
const PRIOR_MARKS = 5
const GAP_MARKS = 6

/** `{@attach estimateChart(() => series)}` on a canvas; `read` is re-run reactively. */
export function estimateChart(read: () => EstimateSeries): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    // Marks sit on the top (or bottom) edge of the plot; clip: false keeps them whole.
    const marks = { showLine: false, pointRadius: 7, pointHoverRadius: 9, clip: false as const }
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          // Filled down to the next dataset (the lower bound): the credible band.
          { label: '95 % credible band', data: [], fill: '+1', borderWidth: 0, pointRadius: 0 },
          { label: 'band lower', data: [], fill: false, borderWidth: 0, pointRadius: 0 },
          { label: 'posterior mean', data: [], borderWidth: 2, pointRadius: 0 },
          // Step-before: each p holds from its n until the next change.
          {
            label: 'true p',
            data: [],
            stepped: 'before',
            borderWidth: 2,
            borderDash: [6, 4],
            pointRadius: 0
          },
          {
            label: 'interval change',
            data: [],
            ...marks,
            pointStyle: 'triangle',
            pointRotation: 180
          },
          { label: 'prior change', data: [], ...marks, pointStyle: 'rectRot' },
          { label: 'samples lost', data: [], ...marks, pointStyle: 'crossRot', borderWidth: 3 }
        ]
      },
      options: {
        ...STREAMING_CHART_OPTIONS,
        // Hover only matters for the marks; intersect keeps it cheap on long lines.
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'samples (n)' } },
          y: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'p' } }
        },
        plugins: {
          legend: {
            position: 'bottom',
            // The band's lower edge is an implementation detail, not a series; a kind of mark
            // appears in the legend once there is one.
            labels: {
              filter: (item, data) =>
                item.datasetIndex !== LOWER &&
                (item.datasetIndex === undefined ||
                  item.datasetIndex < INTERVAL_MARKS ||
                  (data.datasets[item.datasetIndex]?.data.length ?? 0) > 0)
            }
          },
          tooltip: {
            filter: (item) => item.datasetIndex >= INTERVAL_MARKS,
            callbacks: {
              label: (item) => (item.raw as MarkPoint).label,
              title: (items) => (items[0] ? `n = ${items[0].parsed.x}` : '')
            }
          }
        }
      }
    })
    const stopWatching = followTheme(chart, canvas, paint)

    $effect(() => {
      const data = estimateChartData(read())
      setData(chart, UPPER, data.upper)
      setData(chart, LOWER, data.lower)
      setData(chart, MEAN, data.mean)
      setData(chart, TRUTH, data.truth)
      setData(chart, INTERVAL_MARKS, data.marks.interval)
      setData(chart, PRIOR_MARKS, data.marks.prior)
      setData(chart, GAP_MARKS, data.marks.gap)
      const x = chart.options.scales?.x
      if (x) x.max = data.maxN
      chart.update('none')
      countEstimateRedraw(data.mean.length)
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
  const colours = [
    theme.band,
    theme.band,
    theme.accent,
    theme.truth,
    theme.interval,
    theme.prior,
    theme.gap
  ]
  chart.data.datasets.forEach((dataset, i) => {
    const colour = colours[i] ?? theme.text
    dataset.borderColor = colour
    dataset.backgroundColor = colour
  })
  paintFrame(chart, theme)
}
