import { describe, expect, it } from 'vitest'
import { runShutdown, SHUTDOWN_DEADLINE_MS } from '../../../src/main/app/shutdown'
import type { Clock } from '../../../src/shared/clock'

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>()
  let next = 1
  const timers: Clock = {
    monotonicMs: () => 0,
    epochMs: () => 0,
    setTimer: (callback, ms) => {
      pending.set(next, { callback, ms })
      return next++
    },
    clearTimer: (handle) => void pending.delete(handle as number)
  }
  const fireAll = (): void => {
    for (const [id, timer] of [...pending]) {
      pending.delete(id)
      timer.callback()
    }
  }
  return { timers, pending, fireAll }
}

describe('runShutdown', () => {
  it('starts every step at once and resolves done when all finish before the deadline', async () => {
    const { timers, pending } = manualTimers()
    const started: string[] = []
    const outcome = await runShutdown(
      [async () => void started.push('close'), async () => void started.push('flush')],
      1000,
      timers
    )
    expect(outcome).toEqual({ kind: 'done' })
    expect(started.sort()).toEqual(['close', 'flush'])
    expect(pending.size).toBe(0)
  })

  it('reports failed steps after waiting for the others', async () => {
    const { timers } = manualTimers()
    const boom = new Error('cannot write')
    const outcome = await runShutdown(
      [async () => undefined, () => Promise.reject(boom)],
      1000,
      timers
    )
    expect(outcome).toEqual({ kind: 'failed', errors: [boom] })
  })

  it('counts a step that throws synchronously as failed, and still runs the others', async () => {
    const { timers } = manualTimers()
    let ran = false
    const outcome = await runShutdown(
      [
        () => {
          throw new Error('sync')
        },
        async () => void (ran = true)
      ],
      1000,
      timers
    )
    expect(outcome.kind).toBe('failed')
    expect(ran).toBe(true)
  })

  it('gives up at the deadline when a step never settles', async () => {
    const { timers, pending, fireAll } = manualTimers()
    const result = runShutdown([() => new Promise(() => undefined)], 1234, timers)
    await Promise.resolve()
    expect([...pending.values()].map((timer) => timer.ms)).toEqual([1234])
    fireAll()
    expect(await result).toEqual({ kind: 'timed-out', afterMs: 1234 })
  })

  it('defaults to a deadline longer than the server’s 2 s close grace', () => {
    expect(SHUTDOWN_DEADLINE_MS).toBeGreaterThan(2000)
    expect(SHUTDOWN_DEADLINE_MS).toBeLessThanOrEqual(10_000)
  })
})
