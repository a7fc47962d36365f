import { describe, expect, it } from 'vitest'
import {
  loadPrior,
  savePrior,
  type KeyValueStorage
} from '../../../src/renderer/src/lib/prior-storage'

function memoryStorage(
  initial: Record<string, string> = {}
): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial))
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

describe('prior storage', () => {
  it('round-trips a prior', () => {
    const storage = memoryStorage()
    savePrior(storage, { alpha: 0.5, beta: 7 })
    expect(loadPrior(storage, 1e6)).toEqual({ alpha: 0.5, beta: 7 })
  })

  it.each([
    'not json',
    '{"alpha":0,"beta":1}',
    '{"alpha":1}',
    '{"alpha":"2","beta":2}',
    '{"alpha":2,"beta":1e300}',
    'null'
  ])('falls back (null) on a stored %s', (raw) => {
    expect(loadPrior(memoryStorage({ 'bernoulli-stream.prior.v1': raw }), 1e6)).toBeNull()
  })

  it('tolerates missing or failing storage', () => {
    expect(loadPrior(null, 1e6)).toBeNull()
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      }
    }
    expect(loadPrior(throwing, 1e6)).toBeNull()
    expect(() => savePrior(throwing, { alpha: 1, beta: 1 })).not.toThrow()
  })
})
