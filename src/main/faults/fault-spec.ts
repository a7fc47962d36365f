import { describe } from '../../shared/sampler-settings'
import { isSeed, MAX_SEED } from '../random/counter-random'

/**
 * Faults a connection asked for (query parameters on any stream path) or the server applies to
 * every connection (`--faults`). Every field is optional in a request; see {@link FaultSpec} for
 * what a connection ends up with.
 */
export interface FaultRequest {
  /** Fraction of samples never sent to this connection, in [0, 1]. */
  drop?: number
  /** Fraction of samples sent twice, in [0, 1]. */
  dup?: number
  /** Extra latency per write, ms: fixed (min = max) or uniform in [min, max], in [0, 60000]. */
  delay?: { minMs: number; maxMs: number }
  /** Cut the connection abruptly (no close frame) this long after it opened, ms. */
  disconnectAfterMs?: number
  /** Stop sending and answering pings this long after the connection opened, ms. */
  stallAfterMs?: number
  /** Hold everything back and release it all at once every this many ms. */
  burstMs?: number
  /** Seed of this connection's fault decisions, for a reproducible fault pattern. */
  seed?: number
  /** `faults=none`: this connection opts out of the server-wide faults. */
  none?: boolean
}

/** The faults one connection gets, every field decided. */
export interface FaultSpec {
  drop: number
  dup: number
  delay: { minMs: number; maxMs: number } | null
  disconnectAfterMs: number | null
  stallAfterMs: number | null
  burstMs: number | null
  seed: number
}

/** Query parameters that configure faults; every other parameter belongs to the path. */
export const FAULT_PARAMS = [
  'drop',
  'dup',
  'delay',
  'disconnect',
  'stall',
  'burst',
  'faultseed',
  'faults'
] as const
/** Longest delay, disconnect or stall time: one minute of delay, one day for the others. */
export const MAX_FAULT_DELAY_MS = 60_000
export const MAX_FAULT_AFTER_S = 86_400
/** Shortest and longest burst period, ms. */
export const MIN_BURST_MS = 10
export const MAX_BURST_MS = 60_000

/** A parsed fault request, or the one sentence saying what is wrong. */
export type FaultParse = { ok: true; request: FaultRequest } | { ok: false; message: string }

// Plain decimals with an optional exponent ("0.05", "5e-2"); no signs, hex or spaces.
const NUMBER = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/**
 * Reads the fault parameters among `params` (a request's query, or the `--faults` spec); other
 * parameters are ignored. Never throws: bad values give one sentence naming the parameter, the
 * value and what is allowed.
 */
export function parseFaultParams(params: URLSearchParams): FaultParse {
  const request: FaultRequest = {}
  const seen = new Set<string>()
  for (const [key, raw] of params) {
    if (!(FAULT_PARAMS as readonly string[]).includes(key)) continue
    if (seen.has(key)) return fail(`${key} is given twice`)
    seen.add(key)
    const value = raw.trim()
    switch (key) {
      case 'drop':
      case 'dup': {
        const fraction = number(value)
        if (fraction === null || fraction > 1)
          return fail(`${key} must be a fraction from 0 to 1 (e.g. ${key}=0.05), got ${shown(raw)}`)
        request[key] = fraction
        break
      }
      case 'delay': {
        const range = /^([^-]+)-([^-]+)$/.exec(value)
        const minMs = number(range ? range[1]! : value)
        const maxMs = range ? number(range[2]!) : minMs
        if (minMs === null || maxMs === null || minMs > maxMs || maxMs > MAX_FAULT_DELAY_MS) {
          return fail(
            `delay must be milliseconds (delay=50) or a range (delay=20-200), at most ${MAX_FAULT_DELAY_MS}, got ${shown(raw)}`
          )
        }
        request.delay = { minMs, maxMs }
        break
      }
      case 'disconnect':
      case 'stall': {
        const seconds = number(value)
        const min = key === 'disconnect' ? 0.1 : 0
        if (seconds === null || seconds < min || seconds > MAX_FAULT_AFTER_S) {
          return fail(
            `${key} must be seconds from ${min} to ${MAX_FAULT_AFTER_S} (e.g. ${key}=10), got ${shown(raw)}`
          )
        }
        request[key === 'disconnect' ? 'disconnectAfterMs' : 'stallAfterMs'] = seconds * 1000
        break
      }
      case 'burst': {
        const ms = number(value)
        if (ms === null || ms < MIN_BURST_MS || ms > MAX_BURST_MS) {
          return fail(
            `burst must be milliseconds from ${MIN_BURST_MS} to ${MAX_BURST_MS} (burst=1000: everything once a second), got ${shown(raw)}`
          )
        }
        request.burstMs = ms
        break
      }
      case 'faultseed': {
        const seed = /^\d+$/.test(value) ? Number(value) : Number.NaN
        if (!isSeed(seed))
          return fail(`faultseed must be a whole number from 1 to ${MAX_SEED}, got ${shown(raw)}`)
        request.seed = seed
        break
      }
      case 'faults':
        if (value !== 'none')
          return fail(`faults takes only "none" (no server-wide faults here), got ${shown(raw)}`)
        request.none = true
        break
    }
  }
  return { ok: true, request }
}

/**
 * Reads the server-wide `--faults` spec: the same parameters as a query string, joined by `&`
 * or `,` (`--faults drop=0.05,delay=20-200`). Refuses an empty spec, unknown names and `faults=none`.
 */
export function parseFaultsFlag(spec: string): FaultParse {
  const params = new URLSearchParams(spec.replaceAll(',', '&'))
  const keys = [...params.keys()]
  if (keys.length === 0)
    return fail('--faults needs at least one fault, e.g. --faults drop=0.05,delay=20-200')
  for (const key of keys) {
    if (key === 'faults' || !(FAULT_PARAMS as readonly string[]).includes(key)) {
      return fail(
        `--faults: unknown fault ${shown(key)}; known: ${FAULT_PARAMS.filter((k) => k !== 'faults').join(', ')}`
      )
    }
  }
  const parsed = parseFaultParams(params)
  return parsed.ok ? parsed : fail(`--faults: ${parsed.message}`)
}

/**
 * The faults a connection gets: its own request over the server-wide one, key by key (so
 * `drop=0` turns a server-wide drop off), or null when nothing applies. A connection without
 * faults gets no plan at all, so it costs nothing extra.
 * @param randomSeed seed used when neither names one (the caller draws it, per connection).
 */
export function resolveFaults(
  serverWide: FaultRequest | null,
  own: FaultRequest,
  randomSeed: () => number
): FaultSpec | null {
  const merged: FaultRequest = own.none ? { ...own } : { ...serverWide, ...own }
  const spec: FaultSpec = {
    drop: merged.drop ?? 0,
    dup: merged.dup ?? 0,
    delay: merged.delay && merged.delay.maxMs > 0 ? merged.delay : null,
    disconnectAfterMs: merged.disconnectAfterMs ?? null,
    stallAfterMs: merged.stallAfterMs ?? null,
    burstMs: merged.burstMs ?? null,
    seed: 0
  }
  const any =
    spec.drop > 0 ||
    spec.dup > 0 ||
    spec.delay !== null ||
    spec.disconnectAfterMs !== null ||
    spec.stallAfterMs !== null ||
    spec.burstMs !== null
  if (!any) return null
  spec.seed = merged.seed ?? randomSeed()
  return spec
}

/** The spec as query parameters (`drop=0.1&faultseed=7`): what `hello` echoes so a run can be repeated. */
export function describeFaults(spec: FaultSpec): string {
  const parts: string[] = []
  if (spec.drop > 0) parts.push(`drop=${spec.drop}`)
  if (spec.dup > 0) parts.push(`dup=${spec.dup}`)
  if (spec.delay) {
    parts.push(
      spec.delay.minMs === spec.delay.maxMs
        ? `delay=${spec.delay.minMs}`
        : `delay=${spec.delay.minMs}-${spec.delay.maxMs}`
    )
  }
  if (spec.disconnectAfterMs !== null) parts.push(`disconnect=${spec.disconnectAfterMs / 1000}`)
  if (spec.stallAfterMs !== null) parts.push(`stall=${spec.stallAfterMs / 1000}`)
  if (spec.burstMs !== null) parts.push(`burst=${spec.burstMs}`)
  parts.push(`faultseed=${spec.seed}`)
  return parts.join('&')
}

function number(text: string): number | null {
  if (!NUMBER.test(text)) return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

function shown(raw: string): string {
  return describe(raw).replace(/^the string /, '')
}

function fail(message: string): FaultParse {
  return { ok: false, message }
}
