import { existsSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parseDecimal } from '../../shared/parse-decimal'
import {
  checkIntervalMs,
  checkP,
  DEFAULT_INTERVAL_MS,
  DEFAULT_P
} from '../../shared/sampler-settings'
import { SERVER_DEFAULTS } from '../server/server-options'
import {
  DATA_SOURCE_HELP,
  DATA_SOURCE_OPTIONS,
  readDataSourceArgs,
  type DataSourceSettings
} from './data-source-args'

const { host: DEFAULT_HOST, port: DEFAULT_PORT } = SERVER_DEFAULTS

/** Settings of a headless run, from the command line. */
export interface HeadlessSettings {
  host: string
  port: number
  p: number
  intervalMs: number
  seed: number | undefined
  /** Explicit token; undefined = a random one; null = no token (anyone local may steer). */
  controlToken: string | null | undefined
  pingIntervalMs: number
  peerTimeoutMs: number
  autoStart: boolean
  uiDir: string | undefined
  allowedHostNames: string[]
  /** Scenario, recording, file source and faults. */
  dataSource: DataSourceSettings
}

export type CliParseResult =
  | { kind: 'run'; settings: HeadlessSettings }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string }

/** Text of `--help`. */
export const HELP_TEXT = `Usage: npm run serve -- [options]

Runs the Bernoulli Stream server and sampler without Electron, and serves the app's UI to a browser.

Options:
  --port <n>            TCP port, 0 for any free port (default ${DEFAULT_PORT})
  --host <address>      address to bind (default ${DEFAULT_HOST}: this machine only;
                        0.0.0.0 exposes the stream to your network)
  --p <0..1>            probability of a 1 (default ${DEFAULT_P})
  --interval <ms>       milliseconds between samples, 1..60000 (default ${DEFAULT_INTERVAL_MS})
  --seed <n>            seed (1..4294967295): the same seed and the same changes give the same
                        samples (default: a random seed, printed at start)
  --token <secret>      control token (default: a random one, printed at start)
  --no-token            let any local client steer without a token (not recommended)
  --stopped             start with the sampler stopped
  --ping-interval <ms>  heartbeat ping interval (default ${SERVER_DEFAULTS.pingIntervalMs})
  --peer-timeout <ms>   drop peers silent this long (default ${SERVER_DEFAULTS.peerTimeoutMs})
  --ui-dir <dir>        directory of the built UI to serve (default: out/renderer)
  --allow-host <name>   also accept this host name in requests (repeatable; for a LAN name)
  -h, --help            show this help
  -v, --version         show the version

Numbers are plain decimals, with an exponent if you like (0.001 or 1e-3), as in the app's fields.
Each option may be given once, except --allow-host.
${DATA_SOURCE_HELP}`

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  p: { type: 'string' },
  interval: { type: 'string' },
  seed: { type: 'string' },
  token: { type: 'string' },
  'no-token': { type: 'boolean' },
  stopped: { type: 'boolean' },
  'ping-interval': { type: 'string' },
  'peer-timeout': { type: 'string' },
  'ui-dir': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  ...DATA_SOURCE_OPTIONS
} as const satisfies ParseArgsConfig['options']

/** What {@link parseCliArgs} asks of the file system (injected in tests). */
export interface CliEnvironment {
  /** Whether `dir` holds a built UI (its `index.html`). */
  isBuiltUi: (dir: string) => boolean
}

const REAL_ENVIRONMENT: CliEnvironment = {
  isBuiltUi: (dir) => existsSync(join(dir, 'index.html'))
}

/** One refusal: a sentence for the user (thrown inside the parser, returned as `error`). */
class CliError extends Error {}

/**
 * Parses argv (without the node and script paths). Never throws: every flag or combination that
 * cannot work becomes `error` with one sentence saying why.
 */
export function parseCliArgs(
  argv: readonly string[],
  environment: CliEnvironment = REAL_ENVIRONMENT
): CliParseResult {
  try {
    return readCliArgs(argv, environment)
  } catch (error) {
    if (error instanceof CliError) return { kind: 'error', message: error.message }
    // parseArgs's own sentences: unknown options, stray words, a value missing.
    if (error instanceof TypeError) return { kind: 'error', message: error.message }
    throw error
  }
}

function readCliArgs(argv: readonly string[], environment: CliEnvironment): CliParseResult {
  const { values, tokens } = parseArgs({
    args: attachNegativeNumbers(argv),
    strict: true,
    allowPositionals: false,
    tokens: true,
    options: OPTIONS
  })
  refuseRepeats(tokens)
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  const port = readInteger(values.port, DEFAULT_PORT, '--port', 0, 65535)
  const p = readChecked(values.p, DEFAULT_P, '--p', checkP)
  const intervalMs = readChecked(
    values.interval,
    DEFAULT_INTERVAL_MS,
    '--interval',
    checkIntervalMs
  )
  const seed =
    values.seed === undefined ? undefined : readInteger(values.seed, 0, '--seed', 1, 0xffffffff)
  const pingIntervalMs = readInteger(
    values['ping-interval'],
    SERVER_DEFAULTS.pingIntervalMs,
    '--ping-interval',
    10,
    3_600_000
  )
  const peerTimeoutMs = readInteger(
    values['peer-timeout'],
    SERVER_DEFAULTS.peerTimeoutMs,
    '--peer-timeout',
    10,
    3_600_000
  )
  if (peerTimeoutMs <= pingIntervalMs) {
    throw new CliError(
      `--peer-timeout (${peerTimeoutMs} ms) must be longer than --ping-interval (${pingIntervalMs} ms): a peer answers a ping at most once per interval`
    )
  }
  if (values.token !== undefined && values['no-token']) {
    throw new CliError('--token and --no-token cannot be used together')
  }
  if (values.token !== undefined && !/^[\w.~-]{8,256}$/.test(values.token)) {
    throw new CliError(
      '--token must be 8 to 256 characters of letters, digits, "-", "_", "." or "~"'
    )
  }
  const uiDir = values['ui-dir']
  if (uiDir !== undefined && !environment.isBuiltUi(uiDir)) {
    throw new CliError(
      `--ui-dir ${uiDir} holds no built UI (no index.html there); build it with "npx electron-vite build" or leave --ui-dir out`
    )
  }
  const dataSource = readDataSourceArgs(values)
  if (typeof dataSource === 'string') throw new CliError(dataSource)
  return {
    kind: 'run',
    settings: {
      host: readHost(values.host),
      port,
      p,
      intervalMs,
      seed,
      controlToken: values['no-token'] ? null : values.token,
      pingIntervalMs,
      peerTimeoutMs,
      autoStart: !values.stopped,
      uiDir,
      allowedHostNames: (values['allow-host'] ?? []).map(readAllowedHost),
      dataSource
    }
  }
}

// "--p -0.5" reads to parseArgs as a flag with no value followed by an unknown flag "-0.5";
// joined as "--p=-0.5" it reaches the range check, whose sentence says what is wrong.
function attachNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const name = arg.startsWith('--') ? arg.slice(2) : null
    const next = argv[i + 1]
    const takesValue =
      name !== null && (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string'
    if (takesValue && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else {
      out.push(arg)
    }
  }
  return out
}

function refuseRepeats(tokens: ReturnType<typeof parseArgs>['tokens']): void {
  const seen = new Map<string, string | undefined>()
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || token.name === 'allow-host') continue
    if (seen.has(token.name)) {
      const first = seen.get(token.name)
      const shown =
        first !== undefined && token.value !== undefined && token.name !== 'token'
          ? ` (${first}, then ${token.value})`
          : ''
      throw new CliError(`--${token.name} was given twice${shown}; give it once`)
    }
    seen.set(token.name, token.value)
  }
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

function readHost(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_HOST
  const host = raw.trim()
  if (host === '') throw new CliError('--host must not be empty')
  const bracketed = /^\[(.*)\]$/.exec(host)
  if (bracketed && isIP(bracketed[1]!) === 6) {
    throw new CliError(`--host takes an IPv6 address without brackets: --host ${bracketed[1]}`)
  }
  if (isIP(host) !== 0 || HOST_NAME.test(host)) return host
  if (/^(\[.*\]|[^:]*):\d+$/.test(host)) {
    throw new CliError(
      `--host takes an address without a port, got ${JSON.stringify(raw)}; give the port with --port`
    )
  }
  throw new CliError(`--host must be an IP address or a host name, got ${JSON.stringify(raw)}`)
}

function readAllowedHost(raw: string): string {
  const name = raw.trim().toLowerCase()
  if (!HOST_NAME.test(name)) {
    throw new CliError(`--allow-host takes a host name without a port, got ${JSON.stringify(raw)}`)
  }
  return name
}

function readChecked(
  raw: string | undefined,
  fallback: number,
  flag: string,
  check: (value: unknown) => { ok: true; value: number } | { ok: false; message: string }
): number {
  if (raw === undefined) return fallback
  const value = parseDecimal(raw)
  if (value === null) throw new CliError(`${flag} must be a number, got ${JSON.stringify(raw)}`)
  const checked = check(value)
  if (!checked.ok) throw new CliError(`${flag}: ${checked.message}`)
  return checked.value
}

function readInteger(
  raw: string | undefined,
  fallback: number,
  flag: string,
  min: number,
  max: number
): number {
  if (raw === undefined) return fallback
  const value = parseDecimal(raw)
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    const shown = value === null ? JSON.stringify(raw) : raw.trim()
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got ${shown}`)
  }
  return value
}
