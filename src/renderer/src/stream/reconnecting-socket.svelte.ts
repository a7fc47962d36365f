/**
 * A socket that keeps itself connected: opens, notices loss, waits with exponential backoff and
 * jitter (counting down for the indicator), and tries again. Knows nothing of the protocol
 * beyond "the peer greeted us" ({@link ReconnectingSocket.markGreeted}), which resets the
 * backoff and ends the greeting timeout.
 */
import type { Clock } from '../../../shared/clock'
import { backoffDelayMs, type BackoffOptions } from './backoff'
import type { SocketFactory, SocketHandle } from './socket'

/** Where the socket is in its life. */
export type LinkPhase =
  /** Never asked to connect. */
  | 'idle'
  /** Resolving the address or opening the socket. */
  | 'connecting'
  /** Open (the peer may not have greeted yet). */
  | 'open'
  /** Closed; the next attempt is scheduled. */
  | 'waiting'
  /** {@link ReconnectingSocket.disconnect} was called. */
  | 'offline'

/** What the socket needs from the outside. */
export interface ReconnectingSocketDeps {
  openSocket: SocketFactory
  clock: Clock
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number
  /** Default 250 ms doubling to 10 s with 50 % jitter. */
  backoff?: BackoffOptions
  /** How long an open socket may take to be greeted, ms. Default 10000. */
  greetingTimeoutMs?: number
}

/** What the owner hears. Calls for a connection that was since replaced are never made. */
export interface ReconnectingSocketHandlers {
  /**
   * Called before every attempt: the URL to open (the port or the resume point may change
   * between attempts). A rejection counts as a failed attempt.
   */
  resolveUrl(): Promise<string>
  message(data: unknown): void
  /** The connection was lost (or never opened); a retry is scheduled. */
  lost(): void
}

// Close code for a connection we give up on ourselves (no greeting in time); 4000–4999 are private.
export const CLOSE_GREETING_TIMEOUT = 4000
const COUNTDOWN_TICK_MS = 250

/** One self-reconnecting connection. */
export class ReconnectingSocket {
  #phase = $state<LinkPhase>('idle')
  #retryAt = $state(0)
  #clockNow = $state(0)

  readonly #deps: ReconnectingSocketDeps
  readonly #handlers: ReconnectingSocketHandlers
  #socket: SocketHandle | null = null
  #generation = 0
  #attempt = 0
  #retryTimer: unknown = null
  #tickTimer: unknown = null
  #greetingTimer: unknown = null

  constructor(deps: ReconnectingSocketDeps, handlers: ReconnectingSocketHandlers) {
    this.#deps = deps
    this.#handlers = handlers
  }

  get phase(): LinkPhase {
    return this.#phase
  }

  /** While waiting: seconds until the next attempt, rounded up; 0 otherwise. */
  get retryInSeconds(): number {
    if (this.#phase !== 'waiting') return 0
    return Math.max(0, Math.ceil((this.#retryAt - this.#clockNow) / 1000))
  }

  /** True when {@link send} will transmit. */
  get isOpen(): boolean {
    return this.#phase === 'open' && this.#socket !== null && this.#socket.isOpen
  }

  /** Starts connecting (idempotent while connecting, open or waiting). */
  connect(): void {
    if (this.#phase !== 'idle' && this.#phase !== 'offline') return
    void this.#open()
  }

  /** Skips the rest of the backoff wait and reconnects now. */
  retryNow(): void {
    if (this.#phase !== 'waiting') return
    this.#clearTimers()
    void this.#open()
  }

  /** Closes and stops reconnecting (idempotent). */
  disconnect(): void {
    this.#phase = 'offline'
    this.#generation++
    this.#clearTimers()
    this.#socket?.close(1000, 'client closing')
    this.#socket = null
  }

  /** The peer greeted us: the connection is healthy, so the backoff starts over. */
  markGreeted(): void {
    this.#attempt = 0
    this.#clear('greeting')
  }

  /** Sends a text frame; false when not open. */
  send(text: string): boolean {
    if (!this.isOpen || !this.#socket) return false
    this.#socket.send(text)
    return true
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation
    this.#phase = 'connecting'
    let url: string
    try {
      url = await this.#handlers.resolveUrl()
    } catch {
      if (generation === this.#generation) this.#scheduleRetry()
      return
    }
    if (generation !== this.#generation) return
    const live = (): boolean => generation === this.#generation
    try {
      this.#socket = this.#deps.openSocket(url, {
        open: () => {
          if (live()) this.#phase = 'open'
        },
        message: (data) => {
          if (live()) this.#handlers.message(data)
        },
        close: () => {
          if (live()) this.#onLost()
        }
      })
    } catch {
      // A malformed URL, or a policy refusing the socket: retry like a failure.
      this.#socket = null
      this.#scheduleRetry()
      this.#handlers.lost()
      return
    }
    this.#greetingTimer = this.#deps.clock.setTimer(() => {
      this.#greetingTimer = null
      if (live()) this.#socket?.close(CLOSE_GREETING_TIMEOUT, 'no greeting in time')
    }, this.#deps.greetingTimeoutMs ?? 10_000)
  }

  #onLost(): void {
    this.#generation++
    this.#socket = null
    this.#clear('greeting')
    this.#scheduleRetry()
    this.#handlers.lost()
  }

  #scheduleRetry(): void {
    const { clock } = this.#deps
    const delay = backoffDelayMs(this.#attempt, this.#deps.random(), this.#deps.backoff)
    this.#attempt++
    this.#phase = 'waiting'
    this.#clockNow = clock.monotonicMs()
    this.#retryAt = this.#clockNow + delay
    this.#retryTimer = clock.setTimer(() => {
      this.#retryTimer = null
      this.#clear('tick')
      void this.#open()
    }, delay)
    this.#tick()
  }

  // Keeps the countdown moving while waiting.
  #tick(): void {
    this.#clockNow = this.#deps.clock.monotonicMs()
    if (this.#phase !== 'waiting') return
    this.#tickTimer = this.#deps.clock.setTimer(() => {
      this.#tickTimer = null
      this.#tick()
    }, COUNTDOWN_TICK_MS)
  }

  #clearTimers(): void {
    this.#clear('retry')
    this.#clear('tick')
    this.#clear('greeting')
  }

  #clear(which: 'retry' | 'tick' | 'greeting'): void {
    const handle =
      which === 'retry'
        ? this.#retryTimer
        : which === 'tick'
          ? this.#tickTimer
          : this.#greetingTimer
    if (handle !== null) this.#deps.clock.clearTimer(handle)
    if (which === 'retry') this.#retryTimer = null
    else if (which === 'tick') this.#tickTimer = null
    else this.#greetingTimer = null
  }
}
