import { TokenBucket } from './token-bucket'

/** Allowances of failed control attempts (wrong or missing token), per second and at once. */
export interface FailedControlLimits {
  perAddressRatePerS: number
  perAddressBurst: number
  overallRatePerS: number
  overallBurst: number
}

/** Remote addresses remembered at once; the oldest is forgotten first (the overall limit still holds). */
const DEFAULT_MAX_ADDRESSES = 4096

/**
 * Limits failed control attempts across connections, per remote address and over all of them,
 * so that reconnecting never buys a guesser a fresh allowance. Time is passed in.
 */
export class FailedControlLimiter {
  readonly #limits: FailedControlLimits
  readonly #maxAddresses: number
  readonly #byAddress = new Map<string, TokenBucket>()
  #overall: TokenBucket | null = null

  /** @param maxAddresses addresses remembered at once, ≥ 1. */
  constructor(limits: FailedControlLimits, maxAddresses = DEFAULT_MAX_ADDRESSES) {
    this.#limits = limits
    this.#maxAddresses = maxAddresses
  }

  /** Addresses with failures remembered now. */
  get trackedAddresses(): number {
    return this.#byAddress.size
  }

  /** Whether `address` may have a token checked now: it and everyone together have failures left. */
  mayTry(address: string, nowMs: number): boolean {
    const own = this.#byAddress.get(address)
    return (own?.hasToken(nowMs) ?? true) && this.#overallBucket(nowMs).hasToken(nowMs)
  }

  /** Counts a failed attempt from `address`. */
  failed(address: string, nowMs: number): void {
    let own = this.#byAddress.get(address)
    if (!own) {
      const { perAddressRatePerS, perAddressBurst } = this.#limits
      own = new TokenBucket(perAddressRatePerS, perAddressBurst, nowMs)
      if (this.#byAddress.size >= this.#maxAddresses) {
        this.#byAddress.delete(this.#byAddress.keys().next().value!)
      }
      this.#byAddress.set(address, own)
    }
    own.take(nowMs)
    this.#overallBucket(nowMs).take(nowMs)
  }

  #overallBucket(nowMs: number): TokenBucket {
    const { overallRatePerS, overallBurst } = this.#limits
    this.#overall ??= new TokenBucket(overallRatePerS, overallBurst, nowMs)
    return this.#overall
  }
}
