import { checkIntervalMs, checkP, MAX_SEED } from '../../shared/sampler-settings'
import {
  DATA_SOURCE_HELP,
  DATA_SOURCE_OPTIONS,
  readDataSourceArgs,
  type DataSourceSettings
} from '../headless/data-source-args'
import { CliError, readChecked, readInteger, type FlagDefinitions } from './flag-reading'

/**
 * The flags that say what a run streams, taken alike by `npm run serve` and the desktop app:
 * the sampler's p, interval and seed, whether it starts stopped, the data-source flags (scenario,
 * recording, file sources, faults), and help and version.
 */
export const STREAM_OPTIONS = {
  p: { type: 'string' },
  interval: { type: 'string' },
  seed: { type: 'string' },
  stopped: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  ...DATA_SOURCE_OPTIONS
} as const satisfies FlagDefinitions

/** What the stream flags ask for; undefined where a flag was not given. */
export interface StreamArgs {
  /** In [0, 1]. */
  p: number | undefined
  /** Milliseconds in [1, 60000]. */
  intervalMs: number | undefined
  /** A whole number in [1, 2^32 − 1]. */
  seed: number | undefined
  /** False with `--stopped`. */
  autoStart: boolean
  /** Scenario, recording, file source and faults. */
  dataSource: DataSourceSettings
}

/** The values `parseArgs` read for {@link STREAM_OPTIONS}. */
export type StreamValues = {
  [K in keyof typeof STREAM_OPTIONS]?: (typeof STREAM_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string
}

/**
 * Reads and checks the stream flags.
 * @throws {CliError} with one sentence for the first flag, or combination, that cannot work.
 */
export function readStreamArgs(values: StreamValues): StreamArgs {
  const p = readChecked(values.p, undefined, '--p', checkP)
  const intervalMs = readChecked(values.interval, undefined, '--interval', checkIntervalMs)
  const seed = readInteger(values.seed, undefined, '--seed', 1, MAX_SEED)
  const dataSource = readDataSourceArgs(values)
  if (typeof dataSource === 'string') throw new CliError(dataSource)
  return { p, intervalMs, seed, autoStart: !values.stopped, dataSource }
}

/**
 * The help lines of the stream flags.
 * @param defaults what `--p` and `--interval` default to, in words.
 */
export function streamHelp(defaults: { p: string; interval: string }): string {
  return `  --p <0..1>            probability of a 1 (default ${defaults.p})
  --interval <ms>       milliseconds between samples, 1..60000 (default ${defaults.interval})
  --seed <n>            seed (1..${MAX_SEED}): the same seed and the same changes give the same
                        samples (default: a random seed, shown at start)
  --stopped             start with the sampler stopped
  -h, --help            show this help
  -v, --version         show the version

Numbers are plain decimals, with an exponent if you like (0.001 or 1e-3), as in the app's fields.
${DATA_SOURCE_HELP}`
}
