import {
  CliError,
  outcomeOf,
  parseFlags,
  type CliOutcome,
  type FlagDefinitions
} from '../command-line/flag-reading'
import {
  readStreamArgs,
  STREAM_OPTIONS,
  streamHelp,
  type StreamArgs
} from '../command-line/stream-args'
import { SERVER_OPTIONS } from '../headless/cli-args'

/** The stream options the desktop app was started with. */
export interface DesktopArgs extends StreamArgs {
  /** The options given, as typed (`--scenario`, `-h`…): what a second instance tells the first. */
  given: string[]
}

/** What the desktop app's command line asks for: the stream flags `npm run serve` takes too. */
export type DesktopArgsResult = CliOutcome<DesktopArgs>

/** Text of `--help` in the desktop app. */
export const DESKTOP_HELP_TEXT = `Usage: bernoulli-stream [options]        (in a checkout: npm run dev -- -- [options])

Opens the Bernoulli Stream window. Its stream server listens on 127.0.0.1, at the port kept in
its settings, and takes the same stream options as npm run serve:

Options:
${streamHelp({ p: 'the last one the window used', interval: 'the last one the window used' })}
Each option may be given once. Chromium's and Electron's own switches (--no-sandbox,
--enable-logging, --ozone-platform=wayland, …) are left to them; the server options of
npm run serve (--port, --host, --token, …) are settings of the desktop app.
`

/**
 * What a second launch with options says: the running window keeps its stream.
 * @param given the options as typed, e.g. `['--scenario', '--seed']`.
 */
export function alreadyRunningMessage(given: readonly string[]): string {
  const options = [...new Set(given)].join(' ')
  return `Bernoulli Stream is already running, so ${options} ${given.length === 1 ? 'was' : 'were'} not applied: close its window, then start it again with ${given.length === 1 ? 'this option' : 'these options'}.`
}

/**
 * The command-line arguments meant for the app. A packaged app gets them right after its
 * executable; a development run (`electron [switches] <app> [args]`, and the built main bundle
 * under plain Node) after the first word that is not a switch, the app's path, as Electron's own
 * default app reads it (`-r`/`--require` take the next word).
 * @param argv `process.argv`.
 */
export function appArguments(argv: readonly string[], isPackaged: boolean): string[] {
  if (isPackaged) return argv.slice(1)
  let i = 1
  while (i < argv.length) {
    const arg = argv[i]!
    i += arg === '-r' || arg === '--require' ? 2 : 1
    if (!arg.startsWith('-') || arg.startsWith('--app=')) break
  }
  return argv.slice(i)
}

/**
 * Parses the app's arguments (see {@link appArguments}). Never throws: a flag or combination
 * that cannot work becomes `error` with one sentence. Chromium reads every `--switch` in the
 * command line too, so switches that are not ours are left to it, unless one looks like a typo
 * of ours or is a server option of `npm run serve`, which the desktop app keeps in its settings.
 */
export function parseDesktopArgs(args: readonly string[]): DesktopArgsResult {
  return outcomeOf<DesktopArgs>(() => {
    const { values, tokens } = parseFlags(ownArguments(args), STREAM_OPTIONS)
    if (values.help) return { kind: 'help' }
    if (values.version) return { kind: 'version' }
    const given = tokens.flatMap((token) => (token.kind === 'option' ? [token.rawName] : []))
    return { kind: 'run', settings: { ...readStreamArgs(values), given } }
  })
}

const OWN: FlagDefinitions = STREAM_OPTIONS
const OWN_NAMES = Object.keys(OWN)
const OWN_SHORT = new Set(Object.values(OWN).flatMap((option) => option.short ?? []))

/** Why each server option of `npm run serve` is not taken here. */
const SERVER_ONLY: { [K in keyof typeof SERVER_OPTIONS]: string } = {
  port: 'the desktop app keeps its port in its settings and asks for another when it is taken',
  host: 'the desktop app listens on 127.0.0.1, this machine only',
  token: 'the desktop app makes a new control token every run and shows it in its window',
  'no-token': 'the desktop app makes a new control token every run and shows it in its window',
  'ping-interval': 'the desktop app uses the default heartbeat',
  'peer-timeout': 'the desktop app uses the default heartbeat',
  'ui-dir': 'the desktop app shows its own UI',
  'allow-host': 'the desktop app listens on 127.0.0.1, this machine only'
}

/** Our arguments, with Chromium's and Electron's switches taken out. */
function ownArguments(args: readonly string[]): string[] {
  const own: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    // A lone "--" (from `npm run dev -- -- …`) separates nothing here; macOS's Finder may add a
    // process serial number (-psn_0_12345).
    if (arg === '--' || arg.startsWith('-psn_')) continue
    const long = /^--([^=]+)(=.*)?$/s.exec(arg)
    if (long) {
      const name = long[1]!
      if (Object.hasOwn(OWN, name)) {
        own.push(arg)
        // A value given as the next word travels with its flag.
        if (OWN[name]!.type === 'string' && long[2] === undefined && i + 1 < args.length)
          own.push(args[++i]!)
        continue
      }
      refuseServerOption(name)
      const meant = nearestOwn(name)
      if (meant) throw new CliError(`Unknown option '--${name}'; did you mean --${meant}?`)
      // Chromium's or Electron's (or Node's): theirs to read.
      continue
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Short options: ours (-h, -v), else parseArgs names the unknown one.
      if (arg.length === 2 && !OWN_SHORT.has(arg[1]!)) throw new CliError(`Unknown option '${arg}'`)
      own.push(arg)
      continue
    }
    throw new CliError(
      `Unexpected "${arg}": every value follows its option (for example --scenario ${arg}), and Chromium's switches take theirs after "="`
    )
  }
  return own
}

function refuseServerOption(name: string): void {
  if (!Object.hasOwn(SERVER_ONLY, name)) return
  const why = SERVER_ONLY[name as keyof typeof SERVER_ONLY]
  throw new CliError(`--${name} is an option of npm run serve: ${why}`)
}

/** The option of ours `name` is most likely a typo of, if any. */
function nearestOwn(name: string): string | null {
  if (name.length < 4) return null
  for (const candidate of OWN_NAMES) {
    if (candidate.length < 4) continue
    const allowed = candidate.length >= 6 ? 2 : 1
    if (name.startsWith(`${candidate}-`) || editDistance(name, candidate) <= allowed)
      return candidate
  }
  return null
}

/** Edit distance counting a swap of neighbours as one edit (typos: "sede" for "seed"). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = best
    }
  }
  return rows[a.length]![b.length]!
}
