/**
 * Beta-Binomial conjugacy: a Beta(α₀, β₀) prior on p, updated by s successes in n Bernoulli
 * trials, gives the posterior Beta(α₀ + s, β₀ + n − s). Pure: no I/O, no globals.
 */

/** Shape parameters of a Beta distribution; both finite and > 0. */
export interface BetaShape {
  /** First shape parameter α (pseudo-count of successes), > 0. */
  alpha: number
  /** Second shape parameter β (pseudo-count of failures), > 0. */
  beta: number
}

/** Default prior Beta(2, 2): weakly favours p near 0.5, keeps the MAP away from 0 and 1. */
export const DEFAULT_PRIOR: Readonly<BetaShape> = Object.freeze({ alpha: 2, beta: 2 })

/**
 * Largest prior shape parameter the UI accepts. The maths is checked (and stays finite) up to
 * about 1e9 per parameter; a prior that strong would drown any stream anyway.
 */
export const MAX_PRIOR_SHAPE = 1e9

/** True when `value` can be a Beta shape parameter: a finite number > 0. */
export function isValidShape(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}

/**
 * The posterior after observing `successes` ones in `trials` draws.
 * @param prior Beta(α₀, β₀) prior; both parameters finite and > 0.
 * @param successes number of 1s seen, an integer in [0, trials].
 * @param trials number of samples seen, a non-negative integer.
 * @throws RangeError on an invalid prior or inconsistent counts (a programming error, not input).
 */
export function posteriorShape(prior: BetaShape, successes: number, trials: number): BetaShape {
  if (!isValidShape(prior.alpha) || !isValidShape(prior.beta)) {
    throw new RangeError(
      `prior shape parameters must be finite and > 0, got (${prior.alpha}, ${prior.beta})`
    )
  }
  if (!Number.isSafeInteger(trials) || trials < 0) {
    throw new RangeError(`trials must be a non-negative integer, got ${trials}`)
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer in [0, ${trials}], got ${successes}`)
  }
  return { alpha: prior.alpha + successes, beta: prior.beta + (trials - successes) }
}
