import { describe, expect, it, vi } from 'vitest'
import { createSettingsSync } from '../../../src/main/app/settings-sync'
import { DEFAULT_SETTINGS, type AppSettings } from '../../../src/main/app/settings-store'

function deferredStore() {
  const saves: AppSettings[] = []
  const pending: Array<() => void> = []
  const store = {
    save: vi.fn(
      (settings: AppSettings) =>
        new Promise<void>((resolve) => {
          saves.push({ ...settings })
          pending.push(resolve)
        })
    )
  }
  const finishOne = async (): Promise<void> => {
    pending.shift()?.()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return { store, saves, finishOne }
}

describe('createSettingsSync', () => {
  it('writes only real changes of p or the interval', () => {
    const { store } = deferredStore()
    const sync = createSettingsSync({ store, initial: DEFAULT_SETTINGS })
    sync.update({ p: DEFAULT_SETTINGS.p, intervalMs: DEFAULT_SETTINGS.intervalMs })
    expect(store.save).not.toHaveBeenCalled()
    sync.update({ p: 0.3, intervalMs: DEFAULT_SETTINGS.intervalMs })
    expect(store.save).toHaveBeenCalledTimes(1)
    expect(sync.current()).toEqual({ ...DEFAULT_SETTINGS, p: 0.3 })
  })

  it('collapses changes during a write into one write of the latest values', async () => {
    const { store, saves, finishOne } = deferredStore()
    const sync = createSettingsSync({ store, initial: DEFAULT_SETTINGS })
    sync.update({ p: 0.1, intervalMs: 100 })
    for (const p of [0.2, 0.3, 0.4]) sync.update({ p, intervalMs: 50 })
    expect(saves).toHaveLength(1)
    await finishOne()
    expect(saves.map((s) => [s.p, s.intervalMs])).toEqual([
      [0.1, 100],
      [0.4, 50]
    ])
    await finishOne()
    await sync.flush()
    expect(store.save).toHaveBeenCalledTimes(2)
  })

  it('reports a failed write and keeps going', async () => {
    const onError = vi.fn()
    const store = {
      save: vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(undefined)
    }
    const sync = createSettingsSync({ store, initial: DEFAULT_SETTINGS, onError })
    sync.update({ p: 0.1, intervalMs: 100 })
    await sync.flush()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk full' }))
    sync.update({ p: 0.2, intervalMs: 100 })
    await sync.flush()
    expect(store.save).toHaveBeenLastCalledWith({ ...DEFAULT_SETTINGS, p: 0.2 })
  })
})
