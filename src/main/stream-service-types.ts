import type { ConnectionInfo } from '../shared/ipc-contract'
import type { ServerStatus, StreamState } from '../shared/protocol/messages'
import type { Clock } from './clock'
import type { SampleSourceFactory } from './sampler/sample-source'
import type { ServerTuning } from './server/server-options'

/**
 * Options of {@link StreamService}; every field has a default. The server's tunables (host,
 * port, heartbeat, limits, …) are those of `SERVER_DEFAULTS`; the sampler's defaults are in
 * `shared/sampler-settings`.
 */
export interface StreamServiceOptions extends Partial<ServerTuning> {
  /** Initial probability of a 1, in [0, 1]. Default `DEFAULT_P`. */
  p?: number
  /** Initial interval between samples in ms, in [1, 60000]. Default `DEFAULT_INTERVAL_MS`. */
  intervalMs?: number
  /** Start drawing as soon as the server listens. Default true. */
  autoStart?: boolean
  /** Seed for a reproducible stream (Mersenne Twister); omit for Math.random. */
  seed?: number
  /** Token that control messages must carry; `null` disables the check. Default: a random one. */
  controlToken?: string | null
  /** Time for the sampler and the server. Default: the process's clock. */
  clock?: Clock
  /**
   * Where samples come from. Default: the Bernoulli sampler, with `p`, `intervalMs` and `seed`
   * (which a custom source ignores).
   */
  createSource?: SampleSourceFactory
}

/**
 * The sampler and the stream server behind one API. The headless entry and the Electron main
 * process both drive this, so there is one implementation of every control.
 * Setters validate and throw a `CodedError` (`E_INVALID_P`, `E_INVALID_INTERVAL`) on bad input.
 */
export interface StreamService {
  /** Binds the port. Rejects with a `CodedError` `E_PORT_IN_USE` or `E_LISTEN_FAILED`. */
  listen(): Promise<ConnectionInfo>
  /** Where to connect; valid after `listen()` resolved. */
  connectionInfo(): ConnectionInfo
  start(): StreamState
  stop(): StreamState
  setP(p: number): StreamState
  setIntervalMs(intervalMs: number): StreamState
  state(): StreamState
  status(): ServerStatus
  /** Calls `listener` after every change of p, interval or running state; returns an unsubscribe. */
  onStateChanged(listener: (state: StreamState) => void): () => void
  /** Stops sampling, closes every client with 1001 and releases the port. Idempotent. */
  close(): Promise<void>
}
