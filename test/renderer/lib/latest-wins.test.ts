import { describe, expect, it, vi } from 'vitest'
import { LatestWinsSender } from '../../../src/renderer/src/lib/latest-wins'

function deferred() {
  let resolve!: () => void
  let reject!: (e: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('LatestWinsSender', () => {
  it('keeps one request in flight and sends only the newest value next', async () => {
    const calls: number[] = []
    const pending: Array<ReturnType<typeof deferred>> = []
    const sender = new LatestWinsSender<number>((v) => {
      calls.push(v)
      const d = deferred()
      pending.push(d)
      return d.promise
    })
    sender.push(0.1)
    sender.push(0.2)
    sender.push(0.3)
    expect(calls).toEqual([0.1])
    pending[0]?.resolve()
    await vi.waitFor(() => expect(calls).toEqual([0.1, 0.3]))
    pending[1]?.resolve()
    await vi.waitFor(() => expect(sender.busy).toBe(false))
    expect(calls).toEqual([0.1, 0.3])
  })

  it('reports failures and carries on; tells when idle', async () => {
    const errors: unknown[] = []
    const sender = new LatestWinsSender<number>(
      (v) => (v < 0 ? Promise.reject(new Error('no')) : Promise.resolve()),
      (e) => errors.push(e)
    )
    const idle = vi.fn()
    sender.push(-1)
    sender.push(1)
    sender.whenIdle(idle)
    await vi.waitFor(() => expect(idle).toHaveBeenCalledTimes(1))
    expect(errors).toHaveLength(1)
    sender.whenIdle(idle)
    expect(idle).toHaveBeenCalledTimes(2)
  })
})
