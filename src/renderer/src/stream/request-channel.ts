/**
 * Request/reply correlation for control messages on the JSON socket: numbers each request,
 * settles it when its `ack` or `error` comes back, and rejects it on timeout or connection loss.
 */
import type { StreamState } from '../../../shared/protocol/messages'
import type { Clock } from '../../../shared/clock'
import { ControlError, LocalErrorCode } from './control'

interface Pending {
  resolve: (state: StreamState) => void
  reject: (error: ControlError) => void
  timer: unknown
}

/** Default time a request may wait for its reply, ms. */
export const REQUEST_TIMEOUT_MS = 5000

/** Outstanding requests of one page. */
export class RequestChannel {
  readonly #pending = new Map<number, Pending>()
  #nextId = 1

  /**
   * @param clock for timeouts.
   * @param timeoutMs how long a request may wait for its reply; default {@link REQUEST_TIMEOUT_MS}.
   */
  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS
  ) {}

  /**
   * Sends one request. `transmit` gets the request id and returns false when it could not send
   * (then the request fails at once with E_NOT_CONNECTED).
   */
  request(transmit: (id: number) => boolean): Promise<StreamState> {
    const id = this.#nextId++
    return new Promise<StreamState>((resolve, reject) => {
      const timer = this.clock.setTimer(() => {
        this.settle(id, null, new ControlError(LocalErrorCode.Timeout))
      }, this.timeoutMs)
      this.#pending.set(id, { resolve, reject, timer })
      if (!transmit(id)) this.settle(id, null, new ControlError(LocalErrorCode.NotConnected))
    })
  }

  /** True when `id` is a request still waiting for its reply. */
  has(id: unknown): id is number {
    return typeof id === 'number' && this.#pending.has(id)
  }

  /** Settles request `id` with its state (ack) or its error; unknown ids are ignored. */
  settle(id: number, state: StreamState | null, error: ControlError | null): void {
    const pending = this.#pending.get(id)
    if (!pending) return
    this.#pending.delete(id)
    this.clock.clearTimer(pending.timer)
    if (state) pending.resolve(state)
    else pending.reject(error ?? new ControlError(LocalErrorCode.Client))
  }

  /** Rejects everything outstanding (the connection went away). */
  rejectAll(): void {
    for (const id of [...this.#pending.keys()])
      this.settle(id, null, new ControlError(LocalErrorCode.NotConnected))
  }
}
