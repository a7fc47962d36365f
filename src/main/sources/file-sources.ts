import { CodedError, ErrorCode } from '../../shared/error-codes'
import type { Clock } from '../../shared/clock'
import type { DrawnBatch, SampleSource, SourceStatus } from '../sampler/sample-source'
import { FileFollower } from './file-follower'
import { FileReplay } from './file-replay'
import type { SampleFile, SampleFileProblem } from './sample-file'
import type { BadLine, BadLinePolicy } from './sample-lines'

/** What a file source reports besides its samples. */
export interface FileSourceEvents {
  /** A bad line skipped, a truncated or replaced file: something a person should see. */
  onNotice: (message: string) => void
  /** The file ended (replay) or following stopped at a bad line: the source is stopped. */
  onEnded: (reason: string) => void
}

/** How far a file source has come, for `/status`. */
export interface FileSourceProgress {
  played: number
  /** Samples in the file (replay); null when it grows (follow). */
  total: number | null
  badLines: number
  error: string | null
}

/** A source that reads a file; p, the interval and the seed are the file's, not ours to set. */
export interface FileSource extends SampleSource {
  progress(): FileSourceProgress
  /** Releases the file. */
  close(): Promise<void>
}

function refuse(what: string, file: string): never {
  throw new CodedError(ErrorCode.NotSampling, `${what}: the samples come from ${file}`)
}

/**
 * `--replay`: a file's samples as the stream, with the file's sequence numbers (a recording's
 * own, else 1…), at the recorded pace or `speed` times faster. p is the recorded p of the last
 * sample played (null for files without it); the interval is the nominal pace.
 */
export function createReplaySource(options: {
  clock: Clock
  path: string
  file: SampleFile
  speed: number
  intervalMs: number
  onSamples: (batch: DrawnBatch) => void
  events: FileSourceEvents
}): FileSource {
  const { file, path, speed } = options
  const nominalMs = Math.max(1, Math.min(60_000, nominalInterval(file, options.intervalMs) / speed))
  let lastP: number | null =
    file.p && file.p.length > 0 && !Number.isNaN(file.p[0]!) ? file.p[0]! : null
  let played = 0
  const replay = new FileReplay({
    file,
    clock: options.clock,
    speed,
    intervalMs: options.intervalMs,
    onSamples: (batch) => {
      lastP = batch.p
      played += batch.values.length
      options.onSamples({ ...batch, intervalMs: nominalMs })
    },
    onEnd: () =>
      options.events.onEnded(`the replay of ${path} ended after ${file.values.length} samples`)
  })
  return {
    start: () => replay.start(),
    stop: () => replay.stop(),
    setP: () => refuse('p cannot be set', path),
    setIntervalMs: () => refuse('the interval cannot be set', path),
    draw: () => refuse('samples cannot be drawn', path),
    status: (): SourceStatus => {
      const status = replay.status()
      return {
        running: status.running,
        seed: null,
        p: lastP,
        intervalMs: nominalMs,
        samplesDrawn: played,
        samplesSkipped: 0,
        lastSeq: status.nextSeq - 1
      }
    },
    get nextSeq() {
      return replay.status().nextSeq
    },
    progress: () => ({
      played,
      total: file.values.length,
      badLines: file.badLineCount,
      error: null
    }),
    close: async () => replay.stop()
  }
}

/** The median gap of a recording (ms), or `fallback` for files without times. */
function nominalInterval(file: SampleFile, fallback: number): number {
  const times = file.timesMs
  if (!times || times.length < 2) return fallback
  const gaps: number[] = []
  const step = Math.max(1, Math.floor(times.length / 1000))
  for (let i = step; i < times.length; i += step) gaps.push((times[i]! - times[i - step]!) / step)
  gaps.sort((a, b) => a - b)
  return gaps[gaps.length >> 1] ?? fallback
}

/**
 * `--follow`: every `0`/`1` line appended to a file becomes a sample, numbered 1… and stamped
 * with the moment it was read. While stopped, appended lines wait in the file. p is unknown.
 * The file is opened by {@link FollowSource.open}, before the server starts.
 */
export async function createFollowSource(options: {
  clock: Clock
  path: string
  badLines: BadLinePolicy
  intervalMs: number
  onSamples: (batch: DrawnBatch) => void
  events: FileSourceEvents
}): Promise<FileSource> {
  const { path, events } = options
  let nextSeq = 1
  let running = false
  let error: string | null = null
  let badLines = 0
  const follower = await FileFollower.open({
    path,
    clock: options.clock,
    badLines: options.badLines,
    onSamples: (values, timeMs) => {
      const firstSeq = nextSeq
      nextSeq += values.length
      // Lines arrive when they arrive: each read goes out at once (an interval past the batcher's).
      options.onSamples({
        firstSeq,
        values,
        timesMs: values.map(() => timeMs),
        intervalMs: 60_000,
        p: null
      })
    },
    onBadLine: (bad: BadLine) => {
      badLines++
      events.onNotice(`${path}:${bad.line}: ${bad.reason} (skipped)`)
    },
    onNotice: events.onNotice,
    onFail: (problem: SampleFileProblem) => {
      badLines++
      error = `${path}:${problem.line}: ${problem.reason}`
      running = false
      events.onEnded(`following ${path} stopped at a bad line (--bad-lines fail): ${error}`)
    }
  })
  follower.pause()
  return {
    start: () => {
      if (running || error !== null) return
      running = true
      follower.resume()
    },
    stop: () => {
      running = false
      follower.pause()
    },
    setP: () => refuse('p cannot be set', path),
    setIntervalMs: () => refuse('the interval cannot be set', path),
    draw: () => refuse('samples cannot be drawn', path),
    status: (): SourceStatus => ({
      running,
      seed: null,
      p: null,
      intervalMs: options.intervalMs,
      samplesDrawn: nextSeq - 1,
      samplesSkipped: 0,
      lastSeq: nextSeq - 1
    }),
    get nextSeq() {
      return nextSeq
    },
    progress: () => ({ played: nextSeq - 1, total: null, badLines, error }),
    close: () => follower.close()
  }
}
