/**
 * Turns what a person typed into a value or a message to show next to the field. Nothing invalid
 * ever leaves the page: the controls send only values that passed here, and the server checks
 * again with the same shared rules.
 */
import { MAX_PRIOR_SHAPE } from '../../../shared/posterior/beta-posterior'
import {
  checkForgetting,
  checkWindowSize,
  MAX_FORGETTING,
  MAX_WINDOW_SIZE,
  MIN_FORGETTING,
  MIN_WINDOW_SIZE
} from '../../../shared/posterior/posterior-memory'
import {
  checkIntervalMs,
  checkP,
  checkSeed,
  MAX_INTERVAL_MS,
  MAX_SEED,
  MIN_INTERVAL_MS
} from '../../../shared/sampler-settings'
import { parseDecimal } from '../../../shared/parse-decimal'

/** A parsed field: its value, or why not. */
export type FieldResult = { ok: true; value: number } | { ok: false; message: string }

/**
 * A seed to reseed with: a whole number from 1 to 4294967295, or blank for one the server picks
 * at random (value null).
 */
export function validateSeed(
  text: string
): { ok: true; value: number | null } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: null }
  const value = parseDecimal(text)
  if (value === null || !checkSeed(value).ok)
    return { ok: false, message: `Enter a whole number from 1 to ${MAX_SEED}, or leave it blank.` }
  return { ok: true, value }
}

/** Probability of a 1: a number from 0 to 1. */
export function validateP(text: string): FieldResult {
  const value = parseDecimal(text)
  if (value === null || !checkP(value).ok)
    return { ok: false, message: 'Enter a number from 0 to 1.' }
  return { ok: true, value }
}

/** Interval between samples: a number of milliseconds from 1 to 60000. */
export function validateIntervalMs(text: string): FieldResult {
  const value = parseDecimal(text)
  if (value === null || !checkIntervalMs(value).ok) {
    return {
      ok: false,
      message: `Enter milliseconds from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}.`
    }
  }
  return { ok: true, value }
}

/** A prior shape parameter α₀ or β₀: a positive number up to 1e9. */
export function validateShape(text: string): FieldResult {
  const value = parseDecimal(text)
  if (value === null || !(value > 0) || value > MAX_PRIOR_SHAPE) {
    return { ok: false, message: 'Enter a positive number (at most 1e9).' }
  }
  return { ok: true, value }
}

/** N of the sliding window: a whole number of samples from 2 to 100000. */
export function validateWindowSize(text: string): FieldResult {
  const value = parseDecimal(text)
  if (value === null || !checkWindowSize(value).ok) {
    return {
      ok: false,
      message: `Enter a whole number of samples from ${MIN_WINDOW_SIZE} to ${MAX_WINDOW_SIZE}.`
    }
  }
  return { ok: true, value }
}

/** λ of exponential forgetting: a number from 0.5 to 0.9999. */
export function validateForgetting(text: string): FieldResult {
  const value = parseDecimal(text)
  if (value === null || !checkForgetting(value).ok) {
    return { ok: false, message: `Enter a factor from ${MIN_FORGETTING} to ${MAX_FORGETTING}.` }
  }
  return { ok: true, value }
}
