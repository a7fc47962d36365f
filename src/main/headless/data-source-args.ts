import { parseFaultsFlag, type FaultRequest } from '../faults/fault-spec'
import { MAX_REPLAY_SPEED } from '../sources/file-replay'
import type { BadLinePolicy } from '../sources/sample-lines'

/** The data-source flags of a headless run: scenarios, recording, file sources and faults. */
export interface DataSourceSettings {
  scenario: string | undefined
  record: string | undefined
  replay: string | undefined
  speed: number
  column: string | undefined
  follow: string | undefined
  badLines: BadLinePolicy
  faults: { spec: string; request: FaultRequest } | undefined
}

/** The `parseArgs` definitions of the data-source flags. */
export const DATA_SOURCE_OPTIONS = {
  scenario: { type: 'string' },
  record: { type: 'string' },
  replay: { type: 'string' },
  speed: { type: 'string' },
  column: { type: 'string' },
  follow: { type: 'string' },
  'bad-lines': { type: 'string' },
  faults: { type: 'string' }
} as const

/** Their lines in `--help`. */
export const DATA_SOURCE_HELP = `
Data source (see docs/protocol.md, "Testing your client"):
  --scenario <file>     run a scenario (JSON or YAML): p and the interval on a schedule
  --record <file>       append every sample to a new file (CSV for *.csv, else NDJSON)
  --replay <file>       serve a file instead of drawing: a recording, 0/1 lines, or a CSV column
  --speed <k>           replay k times faster than recorded (default 1; 0/1 files: one per --interval)
  --column <name|n>     the CSV column to replay (default: "value", or the only column)
  --follow <file>       serve every 0/1 line appended to a file (like tail -F)
  --bad-lines <policy>  a line that is not a sample: "fail" refuses it (default), "skip" reports
                        it with its line number and goes on
  --faults <spec>       faults for every connection, e.g. drop=0.05,delay=20-200 (a connection's
                        own query parameters override them; ?faults=none opts out)

Faults per connection, as query parameters on any stream path (/websocket/, /, /v1/stream,
/v1/events), e.g. ws://localhost:8888/v1/stream?drop=0.05&delay=20-200:
  drop=<0..1>           skip each sample with this probability (JSON: a missing seq number)
  dup=<0..1>            send each sample twice with this probability
  delay=<ms>|<a>-<b>    every write waits ms (0..60000), or uniform in [a, b] per write
  burst=<ms>            hold everything and release it at once every ms (10..60000)
  disconnect=<s>        cut the connection abruptly s seconds after it opened
  stall=<s>             after s seconds send nothing more and leave pings unanswered
  faultseed=<n>         seed of the drop/dup/delay decisions (the same seed drops the same samples)
  faults=none           no --faults for this connection (its own parameters still apply)

Control messages on /v1/stream (need the token): set, start, stop, draw (step mode, while
stopped), reseed, auth; and PUT/GET/DELETE /v1/scenario. Every field: docs/protocol.md.
`

type Values = { [K in keyof typeof DATA_SOURCE_OPTIONS]?: string } & { seed?: string; p?: string }

/** Reads and checks the data-source flags; a sentence saying what is wrong otherwise. */
export function readDataSourceArgs(values: Values): DataSourceSettings | string {
  const { replay, follow } = values
  if (replay !== undefined && follow !== undefined)
    return '--replay and --follow cannot be used together'
  const fileSource = replay !== undefined ? '--replay' : follow !== undefined ? '--follow' : null
  if (fileSource !== null) {
    if (values.scenario !== undefined)
      return `--scenario steers the sampler; with ${fileSource} the samples come from a file`
    if (values.seed !== undefined)
      return `--seed seeds the sampler; with ${fileSource} the samples come from a file`
    if (values.p !== undefined)
      return `--p sets the sampler's p; with ${fileSource} the samples come from a file`
  }
  if (replay === undefined) {
    for (const flag of ['speed', 'column'] as const) {
      if (values[flag] !== undefined) return `--${flag} goes with --replay`
    }
  }
  if (fileSource === null && values['bad-lines'] !== undefined)
    return '--bad-lines goes with --replay or --follow'
  let speed = 1
  if (values.speed !== undefined) {
    const raw = values.speed.trim()
    speed = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw) ? Number(raw) : Number.NaN
    if (!(speed > 0 && speed <= MAX_REPLAY_SPEED)) {
      return `--speed must be a number above 0 and at most ${MAX_REPLAY_SPEED}, got ${JSON.stringify(values.speed)}`
    }
  }
  const badLines = values['bad-lines'] ?? 'fail'
  if (badLines !== 'fail' && badLines !== 'skip') {
    return `--bad-lines must be "fail" or "skip", got ${JSON.stringify(badLines)}`
  }
  let faults: DataSourceSettings['faults']
  if (values.faults !== undefined) {
    const parsed = parseFaultsFlag(values.faults)
    if (!parsed.ok) return parsed.message
    faults = { spec: values.faults, request: parsed.request }
  }
  for (const flag of ['scenario', 'record', 'replay', 'follow', 'column'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') return `--${flag} needs a value`
  }
  return {
    scenario: values.scenario,
    record: values.record,
    replay,
    speed,
    column: values.column,
    follow,
    badLines,
    faults
  }
}
