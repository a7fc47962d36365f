import { describe, expect, it } from 'vitest'
import { FailedControlLimiter } from '../../../src/main/server/failed-control-limiter'

const limits = { perAddressRatePerS: 1, perAddressBurst: 3, overallRatePerS: 2, overallBurst: 5 }

describe('FailedControlLimiter', () => {
  it('lets an address fail a burst of times, then at the sustained rate', () => {
    const limiter = new FailedControlLimiter(limits)
    for (let i = 0; i < 3; i++) {
      expect(limiter.mayTry('10.0.0.1', 0)).toBe(true)
      limiter.failed('10.0.0.1', 0)
    }
    expect(limiter.mayTry('10.0.0.1', 0)).toBe(false)
    expect(limiter.mayTry('10.0.0.1', 999)).toBe(false)
    expect(limiter.mayTry('10.0.0.1', 1000)).toBe(true)
    // Asking does not spend: only failures do.
    expect(limiter.mayTry('10.0.0.1', 1000)).toBe(true)
  })

  it('limits all addresses together too', () => {
    const limiter = new FailedControlLimiter(limits)
    for (let i = 0; i < 5; i++) limiter.failed(`10.0.0.${i}`, 0)
    expect(limiter.mayTry('10.0.0.99', 0)).toBe(false)
    expect(limiter.mayTry('10.0.0.99', 500)).toBe(true)
  })

  it('keeps a bounded number of addresses', () => {
    const limiter = new FailedControlLimiter(
      { ...limits, overallBurst: 1e9, overallRatePerS: 1e9 },
      2
    )
    for (let i = 0; i < 3; i++) limiter.failed('10.0.0.1', 0)
    limiter.failed('10.0.0.2', 0)
    limiter.failed('10.0.0.3', 0)
    // The oldest address was forgotten: it starts afresh (the overall limit still holds).
    expect(limiter.trackedAddresses).toBe(2)
    expect(limiter.mayTry('10.0.0.1', 0)).toBe(true)
  })
})
