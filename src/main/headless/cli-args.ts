import { parseArgs } from 'node:util'
import {
  checkIntervalMs,
  checkP,
  DEFAULT_INTERVAL_MS,
  DEFAULT_P
} from '../../shared/sampler-settings'
import { SERVER_DEFAULTS } from '../server/server-options'

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
  --seed <n>            seed (1..4294967295) for a reproducible stream (default: unseeded)
  --token <secret>      control token (default: a random one, printed at start)
  --no-token            let any local client steer without a token (not recommended)
  --stopped             start with the sampler stopped
  --ping-interval <ms>  heartbeat ping interval (default ${SERVER_DEFAULTS.pingIntervalMs})
  --peer-timeout <ms>   drop peers silent this long (default ${SERVER_DEFAULTS.peerTimeoutMs})
  --ui-dir <dir>        directory of the built UI to serve (default: out/renderer)
  --allow-host <name>   also accept this host name in requests (repeatable; for a LAN name)
  -h, --help            show this help
  -v, --version         show the version
`

/** Parses argv (without the node and script paths). Never throws: bad flags become `error`. */
export function parseCliArgs(argv: readonly string[]): CliParseResult {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
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
        version: { type: 'boolean', short: 'v' }
      }
    })
  } catch (error) {
    return { kind: 'error', message: (error as Error).message }
  }
  const values = parsed.values
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  const port = readInteger(values.port, DEFAULT_PORT, '--port', 0, 65535)
  if (typeof port === 'string') return { kind: 'error', message: port }
  const p = readChecked(values.p, DEFAULT_P, '--p', checkP)
  if (typeof p === 'string') return { kind: 'error', message: p }
  const intervalMs = readChecked(
    values.interval,
    DEFAULT_INTERVAL_MS,
    '--interval',
    checkIntervalMs
  )
  if (typeof intervalMs === 'string') return { kind: 'error', message: intervalMs }
  const seed =
    values.seed === undefined ? undefined : readInteger(values.seed, 0, '--seed', 1, 0xffffffff)
  if (typeof seed === 'string') return { kind: 'error', message: seed }
  const pingIntervalMs = readInteger(
    values['ping-interval'],
    SERVER_DEFAULTS.pingIntervalMs,
    '--ping-interval',
    10,
    3_600_000
  )
  if (typeof pingIntervalMs === 'string') return { kind: 'error', message: pingIntervalMs }
  const peerTimeoutMs = readInteger(
    values['peer-timeout'],
    SERVER_DEFAULTS.peerTimeoutMs,
    '--peer-timeout',
    10,
    3_600_000
  )
  if (typeof peerTimeoutMs === 'string') return { kind: 'error', message: peerTimeoutMs }
  if (values.token !== undefined && values['no-token']) {
    return { kind: 'error', message: '--token and --no-token cannot be used together' }
  }
  if (values.token !== undefined && !/^[\w.~-]{8,256}$/.test(values.token)) {
    return {
      kind: 'error',
      message: '--token must be 8 to 256 characters of letters, digits, "-", "_", "." or "~"'
    }
  }
  const host = values.host ?? DEFAULT_HOST
  if (host.trim() === '') return { kind: 'error', message: '--host must not be empty' }
  return {
    kind: 'run',
    settings: {
      host,
      port,
      p,
      intervalMs,
      seed,
      controlToken: values['no-token'] ? null : values.token,
      pingIntervalMs,
      peerTimeoutMs,
      autoStart: !values.stopped,
      uiDir: values['ui-dir'],
      allowedHostNames: (values['allow-host'] ?? []).map((name) => name.toLowerCase())
    }
  }
}

// Strict: "0.5abc", "", "0x10" and "1e3" are refused rather than half-read.
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/

function readChecked(
  raw: string | undefined,
  fallback: number,
  flag: string,
  check: (value: unknown) => { ok: true; value: number } | { ok: false; message: string }
): number | string {
  if (raw === undefined) return fallback
  if (!DECIMAL.test(raw.trim())) return `${flag} must be a number, got ${JSON.stringify(raw)}`
  const checked = check(Number(raw))
  return checked.ok ? checked.value : `${flag}: ${checked.message}`
}

function readInteger(
  raw: string | undefined,
  fallback: number,
  flag: string,
  min: number,
  max: number
): number | string {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw.trim()))
    return `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`
  const value = Number(raw)
  if (value < min || value > max)
    return `${flag} must be a whole number from ${min} to ${max}, got ${raw}`
  return value
}
