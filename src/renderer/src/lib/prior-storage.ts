import type { BetaShape } from '../../../shared/posterior'

/** The part of `Storage` the prior needs; `localStorage` in the app, a Map-backed fake in tests. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>

const KEY = 'bernoulli-stream.prior.v1'

/**
 * The prior saved by an earlier session, or null when there is none or it is unreadable
 * (a hand-edited or corrupted value falls back to the default rather than breaking the page).
 * @param maxShape largest accepted α₀ or β₀.
 */
export function loadPrior(storage: KeyValueStorage | null, maxShape: number): BetaShape | null {
  let raw: string | null
  try {
    raw = storage?.getItem(KEY) ?? null
  } catch {
    return null // storage disabled (private mode, sandboxed frame)
  }
  if (raw === null) return null
  try {
    const value: unknown = JSON.parse(raw)
    if (typeof value !== 'object' || value === null) return null
    const { alpha, beta } = value as Record<string, unknown>
    const valid = (v: unknown): v is number =>
      typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= maxShape
    return valid(alpha) && valid(beta) ? { alpha, beta } : null
  } catch {
    return null
  }
}

/** Saves the prior for the next session; failures (quota, disabled storage) are ignored on purpose. */
export function savePrior(storage: KeyValueStorage | null, prior: BetaShape): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ alpha: prior.alpha, beta: prior.beta }))
  } catch {
    // Persistence is a convenience; the prior in use is unaffected.
  }
}
