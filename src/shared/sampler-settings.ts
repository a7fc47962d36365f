import { CodedError, ErrorCode } from './error-codes'

/** Default probability of a 1; the reference Tornado server's value. */
export const DEFAULT_P = 0.72
/** Default time between samples in milliseconds; the reference Tornado server's value. */
export const DEFAULT_INTERVAL_MS = 100
/** Shortest allowed interval, in milliseconds (1000 samples/s). */
export const MIN_INTERVAL_MS = 1
/** Longest allowed interval, in milliseconds (one minute). */
export const MAX_INTERVAL_MS = 60_000

/** Most samples one step-mode `draw` may ask for. */
export const MAX_DRAW_COUNT = 1000
/** Largest seed: seeds are whole numbers in [1, MAX_SEED]. */
export const MAX_SEED = 0xffff_ffff

/** The result of checking a value a person or a peer supplied. */
export type Checked<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string }

/**
 * Checks a probability of success.
 * @param value anything; accepted only as a finite number in [0, 1] (a number, not a string).
 */
export function checkP(value: unknown): Checked<number> {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    return {
      ok: false,
      code: ErrorCode.InvalidP,
      message: `p must be a number from 0 to 1, got ${describe(value)}`
    }
  }
  return { ok: true, value }
}

/**
 * Checks an interval between samples.
 * @param value anything; accepted only as a finite number of milliseconds in
 *   [{@link MIN_INTERVAL_MS}, {@link MAX_INTERVAL_MS}]. Fractions are allowed (e.g. 2.5 ms).
 */
export function checkIntervalMs(value: unknown): Checked<number> {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < MIN_INTERVAL_MS ||
    value > MAX_INTERVAL_MS
  ) {
    return {
      ok: false,
      code: ErrorCode.InvalidInterval,
      message: `interval must be a number of milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}, got ${describe(value)}`
    }
  }
  return { ok: true, value }
}

/**
 * Checks how many samples a step-mode draw asks for.
 * @param value anything; accepted only as a whole number in [1, {@link MAX_DRAW_COUNT}].
 */
export function checkDrawCount(value: unknown): Checked<number> {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_DRAW_COUNT
  ) {
    return {
      ok: false,
      code: ErrorCode.BadMessage,
      message: `"count" must be a whole number from 1 to ${MAX_DRAW_COUNT}, got ${describe(value)}`
    }
  }
  return { ok: true, value }
}

/** Checks a seed: a whole number in [1, {@link MAX_SEED}]. */
export function checkSeed(value: unknown): Checked<number> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SEED) {
    return {
      ok: false,
      code: ErrorCode.InvalidSeed,
      message: `seed must be a whole number from 1 to ${MAX_SEED}, got ${describe(value)}`
    }
  }
  return { ok: true, value }
}

/** Returns the value of a passing check, or throws its error as a {@link CodedError}. */
export function unwrap<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new CodedError(checked.code, checked.message)
  return checked.value
}

/** A short, safe rendering of an untrusted value for error messages (never echoes big input). */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value
    return `the string ${JSON.stringify(shown)}`
  }
  if (typeof value === 'number') return String(value)
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}
