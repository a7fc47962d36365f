import { systemClock, type Clock } from '../../shared/clock'

/**
 * How long the app waits for its shutdown (server close, settings flush) before it exits anyway.
 * A normal close takes milliseconds; the server itself gives a silent client 2 s to answer the
 * close frame. Past this, a stuck close would leave a windowless process holding the port and the
 * single-instance lock.
 */
export const SHUTDOWN_DEADLINE_MS = 5000

/** How a shutdown ended. */
export type ShutdownOutcome =
  | { kind: 'done' }
  /** Every step settled, but some failed; `errors` holds what they rejected with. */
  | { kind: 'failed'; errors: unknown[] }
  /** The deadline passed first; the steps may still be running. */
  | { kind: 'timed-out'; afterMs: number }

/**
 * Runs the shutdown steps at once (clients are told 1001 by the server's close while the
 * settings are written) and resolves when all have settled or when the deadline passes, whichever
 * is first. Never rejects.
 * @param steps what to wait for, each started immediately.
 * @param deadlineMs milliseconds to wait at most; default {@link SHUTDOWN_DEADLINE_MS}.
 * @param clock for the deadline (a fake one in tests).
 */
export function runShutdown(
  steps: ReadonlyArray<() => Promise<unknown>>,
  deadlineMs: number = SHUTDOWN_DEADLINE_MS,
  clock: Clock = systemClock
): Promise<ShutdownOutcome> {
  const settled = Promise.allSettled(steps.map((step) => Promise.resolve().then(step)))
  return new Promise((resolve) => {
    const timer = clock.setTimer(
      () => resolve({ kind: 'timed-out', afterMs: deadlineMs }),
      deadlineMs
    )
    void settled.then((results) => {
      clock.clearTimer(timer)
      const errors = results.flatMap((result) =>
        result.status === 'rejected' ? [result.reason] : []
      )
      resolve(errors.length === 0 ? { kind: 'done' } : { kind: 'failed', errors })
    })
  })
}
