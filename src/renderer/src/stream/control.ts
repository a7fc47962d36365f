/**
 * The one way the page steers the stream. Two implementations: over the socket (a browser page
 * served by the headless server) and over the preload bridge (the desktop window).
 */
import type { StreamState } from '../../../shared/protocol/messages'

/** Largest `draw` count the protocol accepts. */
export const MAX_DRAW_COUNT = 1000

/** Steering requests; each resolves to the state after it, or rejects with a {@link ControlError}. */
export interface StreamControl {
  start(): Promise<StreamState>
  stop(): Promise<StreamState>
  /** @param p in [0, 1]. */
  setP(p: number): Promise<StreamState>
  /** @param intervalMs milliseconds in [1, 60000]. */
  setIntervalMs(intervalMs: number): Promise<StreamState>
  /**
   * Step mode: draws exactly `count` samples now, while the sampler is stopped.
   * @param count an integer in [1, {@link MAX_DRAW_COUNT}].
   */
  draw(count: number): Promise<StreamState>
  /**
   * Draws from `seed` from the next sample on (announced to every client with a `seed` state
   * event); the server picks a random seed when it is omitted.
   * @param seed a whole number in [1, 4294967295].
   */
  reseed(seed?: number): Promise<StreamState>
  /** False when this implementation cannot draw (a desktop bridge without step mode). */
  readonly canDraw: boolean
}

/** Codes for failures found on this side of the connection (the server's are ErrorCode values). */
export const LocalErrorCode = {
  NotConnected: 'E_NOT_CONNECTED',
  Timeout: 'E_TIMEOUT',
  ReadOnly: 'E_READ_ONLY',
  Unsupported: 'E_UNSUPPORTED',
  Bridge: 'E_IPC',
  Client: 'E_CLIENT'
} as const

/**
 * A steering request that failed. `code` is a server ErrorCode or a {@link LocalErrorCode};
 * `detail` is the server's own explanation when it sent one (shown as given), else empty.
 */
export class ControlError extends Error {
  constructor(
    readonly code: string,
    readonly detail = ''
  ) {
    super(detail ? `${detail} (${code})` : code)
    this.name = 'ControlError'
  }
}

/** Wraps anything thrown by a request into a {@link ControlError}. */
export function toControlError(error: unknown): ControlError {
  if (error instanceof ControlError) return error
  return new ControlError(LocalErrorCode.Client, error instanceof Error ? error.message : '')
}
