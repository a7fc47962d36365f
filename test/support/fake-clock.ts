import type { Clock } from '../../src/shared/clock'

interface PendingTimer {
  id: number
  dueMs: number
  callback: () => void
}

/**
 * A deterministic {@link Clock}: time moves only when the test calls `advance`. `lateness`
 * (ms, ≥ 0) is added to every timer, to model a loaded event loop that fires timers late.
 */
export class FakeClock implements Clock {
  nowMs = 0
  epochBaseMs = 1_700_000_000_000
  lateness: () => number = () => 0
  timersSet = 0
  #timers: PendingTimer[] = []
  #nextId = 1

  monotonicMs(): number {
    return this.nowMs
  }

  epochMs(): number {
    return this.epochBaseMs + this.nowMs
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++
    this.timersSet++
    // Real timers never fire sooner than 1 ms.
    this.#timers.push({ id, dueMs: this.nowMs + Math.max(1, delayMs) + this.lateness(), callback })
    return id
  }

  clearTimer(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle)
  }

  get pendingTimers(): number {
    return this.#timers.length
  }

  /** Moves time forward by `ms`, firing due timers in order at their due time. */
  advance(ms: number): void {
    const end = this.nowMs + ms
    for (;;) {
      this.#timers.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)
      const next = this.#timers[0]
      if (!next || next.dueMs > end) break
      this.#timers.shift()
      this.nowMs = Math.max(this.nowMs, next.dueMs)
      next.callback()
    }
    this.nowMs = end
  }
}
