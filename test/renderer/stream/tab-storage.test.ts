import { describe, expect, it } from 'vitest'
import { isPlausibleToken, TabStorage } from '../../../src/renderer/src/stream/tab-storage'
import { MemoryStorage } from '../helpers/fake-stream'

describe('TabStorage', () => {
  it('keeps the token and the count start for reloads of the tab', () => {
    const storage = new MemoryStorage()
    const tab = new TabStorage(storage)
    expect(tab.loadToken()).toBeNull()
    tab.saveToken('abc-123')
    tab.saveCountStart({ streamId: 'run-1', afterSeq: 42 })
    const reloaded = new TabStorage(storage)
    expect(reloaded.loadToken()).toBe('abc-123')
    expect(reloaded.loadCountStart()).toEqual({ streamId: 'run-1', afterSeq: 42 })
    reloaded.saveToken(null)
    reloaded.saveCountStart(null)
    expect(storage.data.size).toBe(0)
  })

  it.each([
    '{"streamId":"","afterSeq":1}',
    '{"streamId":"r","afterSeq":-1}',
    '{"streamId":"r","afterSeq":1.5}',
    '{"streamId":7,"afterSeq":1}',
    'nonsense'
  ])('ignores a stored count start %s', (raw) => {
    const storage = new MemoryStorage()
    storage.setItem('bernoulli-stream.count-start.v1', raw)
    expect(new TabStorage(storage).loadCountStart()).toBeNull()
  })

  it('ignores a stored token that cannot be one, and survives failing storage', () => {
    const storage = new MemoryStorage()
    storage.setItem('bernoulli-stream.token.v1', 'two words')
    expect(new TabStorage(storage).loadToken()).toBeNull()
    const failing = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('SecurityError')
      }
    }
    const tab = new TabStorage(failing)
    expect(tab.loadToken()).toBeNull()
    expect(() => tab.saveToken('x')).not.toThrow()
    expect(() => tab.saveCountStart(null)).not.toThrow()
    expect(new TabStorage(null).loadCountStart()).toBeNull()
  })

  it('accepts as a token only 1..256 visible ASCII characters', () => {
    expect(isPlausibleToken('e2e-token-0123')).toBe(true)
    expect(isPlausibleToken('x'.repeat(256))).toBe(true)
    for (const bad of ['', 'x'.repeat(257), 'a b', 'tök', 7, null])
      expect(isPlausibleToken(bad)).toBe(false)
  })
})
