/**
 * What the page holds, as files: its samples in the server's recording formats (so
 * `--replay` serves a download again) and the posterior history as CSV, one row per history
 * point with every model's Beta shape, mean and 95 % credible interval.
 */
import {
  encodeHeader,
  encodeSamples,
  type RecordingFormat,
  type RecordingHeader
} from '../../../shared/recording/recording-format'
import { MEMORY_KINDS } from '../../../shared/posterior/posterior-memory'
import type { EstimateHistory } from './estimate-history'
import type { SampleLog } from './sample-log'

/** Computes the 95 % credible bounds of Beta(α, β). */
export type IntervalFunction = (alpha: number, beta: number) => { lower: number; upper: number }

/**
 * The held samples as a recording: its header (`startedAt` is the first held sample's time),
 * then one line per sample, oldest first.
 */
export function samplesFile(
  format: RecordingFormat,
  log: SampleLog,
  run: Omit<RecordingHeader, 'startedAt'>
): string {
  const lines: string[] = []
  let startedAt: string | null = null
  const value = [0 as 0 | 1]
  const time = [0]
  log.forEach((sample) => {
    startedAt ??= new Date(sample.time).toISOString()
    value[0] = sample.value
    time[0] = sample.time
    lines.push(encodeSamples(format, sample.seq, value, time, sample.p))
  })
  const header = encodeHeader(format, { ...run, startedAt: startedAt ?? new Date().toISOString() })
  return header + lines.join('')
}

/** The CSV columns of {@link historyCsv}. */
export const HISTORY_COLUMNS = [
  'n',
  ...MEMORY_KINDS.flatMap((kind) =>
    ['alpha', 'beta', 'mean', 'lower95', 'upper95'].map((column) => `${kind}_${column}`)
  )
].join(',')

/**
 * The posterior history: every point the page kept (the log-n and linear views together, by
 * increasing n, once each), with every model's shape, mean and credible interval.
 */
export function historyCsv(history: EstimateHistory, interval: IntervalFunction): string {
  const log = history.series('log')
  const linear = history.series('linear')
  const rows = [HISTORY_COLUMNS]
  let i = 0
  let j = 0
  let lastN = -1
  while (i < log.size || j < linear.size) {
    const fromLog = j >= linear.size || (i < log.size && log.n(i) <= linear.n(j))
    const series = fromLog ? log : linear
    const at = fromLog ? i++ : j++
    const n = series.n(at)
    if (n === lastN) continue
    lastN = n
    const cells: Array<number | string> = [n]
    for (const kind of MEMORY_KINDS) {
      const alpha = series.alpha(at, kind)
      const beta = series.beta(at, kind)
      const { lower, upper } = interval(alpha, beta)
      cells.push(alpha, beta, alpha / (alpha + beta), lower, upper)
    }
    rows.push(cells.join(','))
  }
  return `${rows.join('\n')}\n`
}
