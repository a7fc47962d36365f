import { describe, expect, it } from 'vitest'
import { TokenBucket } from '../../../src/main/server/token-bucket'

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(10, 3, 0)
    expect([0, 0, 0, 0].map(() => bucket.tryTake(0))).toEqual([true, true, true, false])
    expect(bucket.tryTake(50)).toBe(false)
    expect(bucket.tryTake(100)).toBe(true)
    expect(bucket.tryTake(10_000)).toBe(true)
  })
  it('refuses nonsense settings', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError)
    expect(() => new TokenBucket(1, 0, 0)).toThrow(RangeError)
  })
})
