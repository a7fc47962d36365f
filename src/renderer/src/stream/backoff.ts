/** Reconnection delays: exponential backoff with jitter, so many clients do not retry in step. */

/** Options of {@link backoffDelayMs}; every field has a default. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 250. */
  initialMs?: number
  /** Upper bound of the delay, in ms. Default 10000. */
  maxMs?: number
  /**
   * Fraction of the delay that is random, in [0, 1]. Default 0.5: the delay is uniform in
   * [base·(1 − jitter), base]. Never longer than the cap, so the countdown never lies.
   */
  jitter?: number
}

/** Default first retry delay, ms. */
export const BACKOFF_INITIAL_MS = 250
/** Default longest retry delay, ms. */
export const BACKOFF_MAX_MS = 10_000

/**
 * Delay before retry number `attempt` (0 for the first retry): base = initial·2^attempt capped at
 * max, minus up to `jitter`·base at random.
 * @param attempt retries already made since the last successful connection, an integer ≥ 0.
 * @param random a uniform number in [0, 1), injected so tests are deterministic.
 */
export function backoffDelayMs(
  attempt: number,
  random: number,
  options: BackoffOptions = {}
): number {
  const initialMs = options.initialMs ?? BACKOFF_INITIAL_MS
  const maxMs = options.maxMs ?? BACKOFF_MAX_MS
  const jitter = options.jitter ?? 0.5
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be an integer ≥ 0, got ${attempt}`)
  // 2^attempt overflows to Infinity for huge attempts; min() keeps it at the cap.
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 60))
  return Math.round(base * (1 - jitter * random))
}
