import { existsSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { DEFAULT_INTERVAL_MS, DEFAULT_P } from '../../shared/sampler-settings'
import {
  CliError,
  outcomeOf,
  parseFlags,
  readInteger,
  type CliOutcome,
  type FlagDefinitions
} from '../command-line/flag-reading'
import { readStreamArgs, STREAM_OPTIONS, streamHelp } from '../command-line/stream-args'
import { SERVER_DEFAULTS } from '../server/server-options'
import type { DataSourceSettings } from './data-source-args'

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

export type CliParseResult = CliOutcome<HeadlessSettings>

/**
 * The flags of `npm run serve` alone: where the server listens and who may steer it. The
 * desktop app keeps these in its settings (and refuses them on its command line).
 */
export const SERVER_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'no-token': { type: 'boolean' },
  'ping-interval': { type: 'string' },
  'peer-timeout': { type: 'string' },
  'ui-dir': { type: 'string' },
  'allow-host': { type: 'string', multiple: true }
} as const satisfies FlagDefinitions

/** Text of `--help`. */
export const HELP_TEXT = `Usage: npm run serve -- [options]

Runs the Bernoulli Stream server and sampler without Electron, and serves the app's UI to a browser.

Options:
  --port <n>            TCP port, 0 for any free port (default ${DEFAULT_PORT})
  --host <address>      address to bind (default ${DEFAULT_HOST}: this machine only;
                        0.0.0.0 exposes the stream to your network)
  --token <secret>      control token (default: a random one, printed at start)
  --no-token            let any local client steer without a token (not recommended)
  --ping-interval <ms>  heartbeat ping interval (default ${SERVER_DEFAULTS.pingIntervalMs})
  --peer-timeout <ms>   drop peers silent this long (default ${SERVER_DEFAULTS.peerTimeoutMs})
  --ui-dir <dir>        directory of the built UI to serve (default: out/renderer)
  --allow-host <name>   also accept this host name in requests (repeatable; for a LAN name)
${streamHelp({ p: String(DEFAULT_P), interval: String(DEFAULT_INTERVAL_MS) })}
Each option may be given once, except --allow-host.
`

const OPTIONS = { ...SERVER_OPTIONS, ...STREAM_OPTIONS } as const satisfies FlagDefinitions

/** What {@link parseCliArgs} asks of the file system (injected in tests). */
export interface CliEnvironment {
  /** Whether `dir` holds a built UI (its `index.html`). */
  isBuiltUi: (dir: string) => boolean
}

const REAL_ENVIRONMENT: CliEnvironment = {
  isBuiltUi: (dir) => existsSync(join(dir, 'index.html'))
}

/**
 * Parses argv (without the node and script paths). Never throws: every flag or combination that
 * cannot work becomes `error` with one sentence saying why.
 */
export function parseCliArgs(
  argv: readonly string[],
  environment: CliEnvironment = REAL_ENVIRONMENT
): CliParseResult {
  return outcomeOf(() => readCliArgs(argv, environment))
}

function readCliArgs(argv: readonly string[], environment: CliEnvironment): CliParseResult {
  const { values } = parseFlags(argv, OPTIONS, ['allow-host'])
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  const port = readInteger(values.port, DEFAULT_PORT, '--port', 0, 65535)
  const stream = readStreamArgs(values)
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
  return {
    kind: 'run',
    settings: {
      host: readHost(values.host),
      port,
      p: stream.p ?? DEFAULT_P,
      intervalMs: stream.intervalMs ?? DEFAULT_INTERVAL_MS,
      seed: stream.seed,
      controlToken: values['no-token'] ? null : values.token,
      pingIntervalMs,
      peerTimeoutMs,
      autoStart: stream.autoStart,
      uiDir,
      allowedHostNames: (values['allow-host'] ?? []).map(readAllowedHost),
      dataSource: stream.dataSource
    }
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
