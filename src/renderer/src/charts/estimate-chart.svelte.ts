/**
 * Attachment that draws the estimate over time: posterior mean with its 95 % band against the
 * sample count n for full memory (and the tracking posterior when on), the true p as a step
 * line, and a mark (symbol on the top edge, thin vertical line) for each change, gap or restart.
 * It reads one value only — the scheduler's estimate frame — and redraws exactly when that
 * value is replaced.
 */
import type { Plugin, ScriptableContext } from 'chart.js'
import type { Attachment } from 'svelte/attachments'
import type { MarkKind, TimelineEvent } from '../posterior/timeline'
import { countEstimateRedraw } from './chart-counters'
import { Chart, FAST_TICKS, STREAMING_CHART_OPTIONS } from './chart-setup'
import {
  axisOptions,
  followTheme,
  replaceAxis,
  paintFrame,
  readChartTheme,
  type ChartTheme
} from './chart-theme'
import type { XY } from './density-frame'
import type { EstimateFrame, MarkPoint } from './estimate-frame'
import { formatLogTick, tickLabel } from './tick-format'

const FULL_UPPER = 0
const FULL_LOWER = 1
const TRACKING_UPPER = 2
const TRACKING_LOWER = 3
const FULL_MEAN = 4
const TRACKING_MEAN = 5
const TRUTH = 6
const MARKS = 7

/** The symbol each kind of mark is drawn with (the legend shows the same). */
export const MARK_SYMBOLS: Record<
  MarkKind,
  'triangle' | 'rectRot' | 'crossRot' | 'circle' | 'rect' | 'star'
> = {
  p: 'triangle',
  interval: 'triangle',
  prior: 'rectRot',
  memory: 'rect',
  gap: 'crossRot',
  restart: 'rect',
  joined: 'circle',
  scenario: 'star'
}

/** The theme colour of each kind of mark. */
export function markColour(kind: MarkKind, theme: ChartTheme): string {
  switch (kind) {
    case 'p':
      return theme.truth
    case 'interval':
      return theme.interval
    case 'prior':
      return theme.prior
    case 'memory':
      return theme.tracking
    case 'gap':
      return theme.gap
    case 'restart':
    case 'joined':
      return theme.neutral
    case 'scenario':
      return theme.scenario
  }
}

/**
 * `{@attach estimateChart(scheduler, describe)}` on a canvas.
 * @param describe the tooltip text of a mark (sentences live in components).
 */
export function estimateChart(
  source: { readonly estimate: EstimateFrame },
  describe: (event: TimelineEvent) => string
): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    let theme = readChartTheme(canvas)
    const line = { data: [], pointRadius: 0, fill: false as const }
    const edge = { ...line, borderWidth: 0 }
    const markColourOf = (context: ScriptableContext<'line'>): string => {
      const raw = context.raw as MarkPoint | undefined
      return raw ? markColour(raw.mark.kind, theme) : theme.text
    }
    const chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          // Each upper edge is filled down to the next dataset, its lower edge: the band.
          { ...edge, fill: '+1' },
          { ...edge },
          { ...edge, fill: '+1' },
          { ...edge },
          { ...line, borderWidth: 2 },
          { ...line, borderWidth: 2 },
          { ...line, borderWidth: 2, borderDash: [6, 4] },
          {
            data: [],
            showLine: false,
            pointRadius: 6,
            pointHoverRadius: 8,
            pointStyle: (context) =>
              MARK_SYMBOLS[(context.raw as MarkPoint | undefined)?.mark.kind ?? 'p'],
            pointRotation: (context) =>
              (context.raw as MarkPoint | undefined)?.mark.kind === 'interval' ? 180 : 0,
            pointBackgroundColor: markColourOf,
            pointBorderColor: markColourOf,
            borderWidth: 2,
            // Marks sit on the top edge of the plot; unclipped they stay whole.
            clip: false
          }
        ]
      },
      options: {
        ...STREAMING_CHART_OPTIONS,
        // Hover only matters for the marks; intersect keeps it cheap on long lines.
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'samples (n)' } },
          y: {
            type: 'linear',
            min: 0,
            max: 1,
            title: { display: true, text: 'p' },
            // The ends are round anyway; a label at a bound half a step away would crowd.
            ticks: {
              ...FAST_TICKS,
              includeBounds: false,
              callback: tickLabel
            }
          }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            filter: (item) => item.datasetIndex === MARKS,
            callbacks: {
              label: (item) => describe((item.raw as MarkPoint).mark.event),
              title: (items) =>
                items[0] ? `n = ${Math.round(items[0].parsed.x ?? 0).toLocaleString('en-US')}` : ''
            }
          }
        }
      },
      plugins: [markLines(() => theme)]
    })
    const stopWatching = followTheme(chart, canvas, (c, t) => {
      theme = t
      paint(c, t)
    })

    $effect(() => {
      const frame = source.estimate
      setData(chart, FULL_UPPER, frame.full.upper)
      setData(chart, FULL_LOWER, frame.full.lower)
      setData(chart, FULL_MEAN, frame.full.mean)
      setData(chart, TRACKING_UPPER, frame.tracking?.upper ?? [])
      setData(chart, TRACKING_LOWER, frame.tracking?.lower ?? [])
      setData(chart, TRACKING_MEAN, frame.tracking?.mean ?? [])
      setData(chart, TRUTH, frame.truth)
      setData(
        chart,
        MARKS,
        frame.marks.map((m) => ({ ...m, y: frame.y.max }))
      )
      setXAxis(chart, frame, theme)
      const y = axisOptions(chart, 'y')
      y.min = frame.y.min
      y.max = frame.y.max
      chart.update('none')
      countEstimateRedraw(frame.full.mean.length)
    })

    return () => {
      stopWatching()
      chart.destroy()
    }
  }
}

// Rebuilds the x axis options only when the kind of axis changes; otherwise moves its ends.
function setXAxis(chart: Chart, frame: EstimateFrame, theme: ChartTheme): void {
  const type = frame.scale === 'log' ? 'logarithmic' : 'linear'
  let x = axisOptions(chart, 'x')
  if (x.type !== type) {
    x = {
      type,
      grid: { color: theme.grid },
      title: {
        display: true,
        color: theme.text,
        text: frame.scale === 'log' ? 'samples (n, log scale)' : 'samples (n)'
      },
      ticks:
        type === 'logarithmic'
          ? {
              ...FAST_TICKS,
              color: theme.text,
              autoSkip: false,
              callback(this: { max: number; min: number }, value: number | string) {
                return formatLogTick(Number(value), Math.log10(this.max / this.min))
              }
            }
          : {
              ...FAST_TICKS,
              color: theme.text,
              maxTicksLimit: 8,
              callback: tickLabel
            }
    }
    replaceAxis(chart, 'x', x)
  }
  x.min = frame.x.min
  x.max = frame.x.max
}

// Thin vertical lines under the marks, so a change is visible across the whole plot.
function markLines(theme: () => ChartTheme): Plugin<'line'> {
  return {
    id: 'markLines',
    beforeDatasetsDraw(chart) {
      const meta = chart.getDatasetMeta(MARKS)
      const { top, bottom } = chart.chartArea
      const { ctx } = chart
      ctx.save()
      ctx.lineWidth = 1
      ctx.setLineDash([2, 3])
      meta.data.forEach((element, i) => {
        const point = chart.data.datasets[MARKS]?.data[i] as MarkPoint | undefined
        if (!point) return
        ctx.strokeStyle = markColour(point.mark.kind, theme())
        ctx.globalAlpha = 0.55
        ctx.beginPath()
        ctx.moveTo(element.x, top)
        ctx.lineTo(element.x, bottom)
        ctx.stroke()
      })
      ctx.restore()
    }
  }
}

function setData(chart: Chart, index: number, data: XY[]): void {
  const dataset = chart.data.datasets[index]
  if (dataset) dataset.data = data
}

function paint(chart: Chart, theme: ChartTheme): void {
  const colours: Array<[number, string]> = [
    [FULL_UPPER, theme.fullBand],
    [FULL_LOWER, theme.fullBand],
    [TRACKING_UPPER, theme.trackingBand],
    [TRACKING_LOWER, theme.trackingBand],
    [FULL_MEAN, theme.full],
    [TRACKING_MEAN, theme.tracking],
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
