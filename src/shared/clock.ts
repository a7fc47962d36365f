/**
 * Time as the sampler, the stream server and the page's stream layer see it. Injected so that
 * tests drive a fake clock and stay exact: schedules, heartbeats, rate limits, batching,
 * reconnect backoff and request timeouts all read it.
 */
export interface Clock {
  /** Monotonic milliseconds (fractional), unaffected by wall-clock changes. */
  monotonicMs(): number
  /** Unix epoch milliseconds, for the timestamps clients see. */
  epochMs(): number
  /** Calls `callback` after about `delayMs` milliseconds; returns a handle for {@link Clock.clearTimer}. */
  setTimer(callback: () => void, delayMs: number): unknown
  clearTimer(handle: unknown): void
}

/**
 * The real clock: `performance.now()` and `setTimeout`, globals of Node and of the page alike. Epoch time is
 * `performance.timeOrigin + performance.now()` rather than `Date.now()`, whose whole
 * milliseconds would make timestamps up to 1 ms early and blur latency measured from them.
 */
export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  epochMs: () => performance.timeOrigin + performance.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}
