import { describe, expect, it } from 'vitest'
import {
  loadMemory,
  loadPrior,
  saveMemory,
  savePrior,
  type KeyValueStorage
} from '../../../src/renderer/src/posterior/settings-storage'
import { MemoryStorage } from '../helpers/fake-stream'

function storageWith(initial: Record<string, string> = {}): MemoryStorage {
  const storage = new MemoryStorage()
  for (const [k, v] of Object.entries(initial)) storage.setItem(k, v)
  return storage
}

const throwing: KeyValueStorage = {
  getItem: () => {
    throw new Error('SecurityError')
  },
  setItem: () => {
    throw new Error('QuotaExceededError')
  }
}

describe('prior storage', () => {
  it('round-trips a prior', () => {
    const storage = storageWith()
    savePrior(storage, { alpha: 0.5, beta: 7 })
    expect(loadPrior(storage)).toEqual({ alpha: 0.5, beta: 7 })
  })

  it.each([
    'not json',
    '{"alpha":0,"beta":1}',
    '{"alpha":1}',
    '{"alpha":"2","beta":2}',
    '{"alpha":2,"beta":1e300}',
    '[1,2]',
    'null'
  ])('falls back (null) on a stored %s', (raw) => {
    expect(loadPrior(storageWith({ 'bernoulli-stream.prior.v1': raw }))).toBeNull()
  })

  it('tolerates missing or failing storage', () => {
    expect(loadPrior(null)).toBeNull()
    expect(loadPrior(throwing)).toBeNull()
    expect(() => savePrior(throwing, { alpha: 1, beta: 1 })).not.toThrow()
  })
})

describe('memory storage', () => {
  it('round-trips the tracking choice', () => {
    const storage = storageWith()
    saveMemory(storage, { memory: 'forgetting', windowSize: 500, forgetting: 0.99 })
    expect(loadMemory(storage)).toEqual({ memory: 'forgetting', windowSize: 500, forgetting: 0.99 })
  })

  it('keeps only the valid fields of a hand-edited value', () => {
    const storage = storageWith({
      'bernoulli-stream.memory.v1': '{"memory":"window","windowSize":0,"forgetting":1.5}'
    })
    expect(loadMemory(storage)).toEqual({ memory: 'window' })
    expect(
      loadMemory(storageWith({ 'bernoulli-stream.memory.v1': '{"memory":"all-of-it"}' }))
    ).toEqual({})
    expect(loadMemory(throwing)).toEqual({})
  })
})
