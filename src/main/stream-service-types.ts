import type { ConnectionInfo } from '../shared/ipc-contract'
import type { ServerStatus, StreamState } from '../shared/protocol/messages'

/** Options of {@link StreamService}; every field has a default. */
export interface StreamServiceOptions {
  /** Address to bind. Default `127.0.0.1` (loopback only); `0.0.0.0` exposes to the LAN. */
  host?: string
  /** TCP port, 0 for any free one. Default 8888. */
  port?: number
  /** Initial probability of a 1, in [0, 1]. Default 0.72. */
  p?: number
  /** Initial interval between samples in ms, in [1, 60000]. Default 100. */
  intervalMs?: number
  /** Start drawing as soon as the server listens. Default true. */
  autoStart?: boolean
  /** Seed for a reproducible stream (Mersenne Twister); omit for Math.random. */
  seed?: number
  /** Directory of the built renderer to serve at `/`; omit to serve no UI. */
  staticDir?: string
  /** Token that control messages must carry; `null` disables the check. Default: a random one. */
  controlToken?: string | null
  /** Interval between server pings in ms. Default 10000. */
  pingIntervalMs?: number
  /** A peer silent this long (ms) is terminated. Default 30000. */
  peerTimeoutMs?: number
  /** Largest inbound message in bytes; larger ones close the connection with 1009. Default 10 MiB. */
  maxPayloadBytes?: number
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
