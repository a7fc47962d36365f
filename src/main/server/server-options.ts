import { DEFAULT_PORT } from '../../shared/protocol/messages'

/**
 * Every tunable of the stream server with its default, written once: the CLI's help, the
 * service and the server all read them from here. Durations in milliseconds, sizes in bytes.
 */
export const SERVER_DEFAULTS = {
  /** Address to bind: loopback only, so nothing is exposed and no firewall prompt appears. */
  host: '127.0.0.1',
  /** TCP port, 0 for any free one. */
  port: DEFAULT_PORT,
  /** Time between server pings, ms (the reference clients use 10 s). */
  pingIntervalMs: 10_000,
  /** A peer silent this long (no pong, no frame) is cut off, ms; longer than `pingIntervalMs`. */
  peerTimeoutMs: 30_000,
  /**
   * Largest inbound message on the reference dialect, bytes (10 MiB, as the original Tornado
   * server accepts). Never parsed; larger ones close the connection with 1009.
   */
  referenceMaxPayloadBytes: 10 * 1024 * 1024,
  /**
   * Largest inbound message on the JSON protocol, bytes (4 KiB: a control message needs well
   * under 1 KiB). Larger ones close the connection with 1009 before they are parsed, so no peer
   * can make the server chew on megabytes of JSON.
   */
  jsonMaxPayloadBytes: 4 * 1024,
  /** Samples held for resuming clients: 10 minutes at 1 ms, ~5.4 MB (9 bytes each). */
  replayCapacity: 600_000,
  /** Longest time a sample waits to be batched for JSON and SSE clients, ms. */
  jsonBatchMs: 16,
  /** A client with more than this many bytes unsent is dropped as a slow consumer (4 MiB). */
  maxBufferedBytes: 4 * 1024 * 1024,
  /** Control messages per second per connection, sustained. */
  controlRatePerS: 20,
  /** Control messages per connection allowed at once, on top of the sustained rate. */
  controlBurst: 40,
  /**
   * Error replies per second per connection, sustained. Past the burst a connection gets one
   * `E_RATE_LIMITED` notice and no more error replies until it slows down, so a peer sending
   * garbage cannot make the server write without bound.
   */
  errorReplyRatePerS: 20,
  /** Error replies per connection allowed at once, on top of the sustained rate. */
  errorReplyBurst: 40,
  /**
   * Failed control attempts (a wrong or missing token) allowed per remote address per second,
   * across all its connections; past them its tokens are not even compared for a while.
   */
  failedControlPerAddressRatePerS: 2,
  /** Failed control attempts per remote address allowed at once. */
  failedControlPerAddressBurst: 10,
  /** Failed control attempts allowed per second over all addresses together. */
  failedControlRatePerS: 10,
  /** Failed control attempts over all addresses allowed at once. */
  failedControlBurst: 50,
  /** Origins besides the server's own that may steer the stream (e.g. `app://bernoulli`, the desktop app's page). */
  allowedOrigins: [] as readonly string[],
  /** Host names besides localhost and IP literals accepted in `Host` headers (lower case). */
  allowedHostNames: [] as readonly string[],
  /** Directory of the built renderer served at `/`; undefined serves a short text page. */
  staticDir: undefined as string | undefined
}

/** The server's tunables, all set (see {@link SERVER_DEFAULTS} for meanings and defaults). */
export type ServerTuning = typeof SERVER_DEFAULTS

const POSITIVE: ReadonlyArray<keyof ServerTuning> = [
  'pingIntervalMs',
  'peerTimeoutMs',
  'referenceMaxPayloadBytes',
  'jsonMaxPayloadBytes',
  'jsonBatchMs',
  'maxBufferedBytes',
  'controlRatePerS',
  'controlBurst',
  'errorReplyRatePerS',
  'errorReplyBurst',
  'failedControlPerAddressRatePerS',
  'failedControlPerAddressBurst',
  'failedControlRatePerS',
  'failedControlBurst'
]

/**
 * Fills in the defaults for what `options` leaves out (or passes as undefined) and checks the
 * result. Keys that are not tunables are ignored. Throws a RangeError on misuse: a value out of
 * range, or a combination that cannot work.
 */
export function resolveServerTuning(options: Partial<ServerTuning>): ServerTuning {
  const resolved = { ...SERVER_DEFAULTS }
  for (const key of Object.keys(SERVER_DEFAULTS) as Array<keyof ServerTuning>) {
    const value = options[key]
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value
  }
  for (const key of POSITIVE) {
    if (!((resolved[key] as number) > 0)) throw new RangeError(`${key} must be positive`)
  }
  const { port, replayCapacity, pingIntervalMs, peerTimeoutMs } = resolved
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`)
  }
  if (!Number.isSafeInteger(replayCapacity) || replayCapacity < 1) {
    throw new RangeError(`replayCapacity must be a positive integer, got ${replayCapacity}`)
  }
  if (peerTimeoutMs <= pingIntervalMs) {
    throw new RangeError(
      `peerTimeoutMs (${peerTimeoutMs}) must be longer than pingIntervalMs (${pingIntervalMs})`
    )
  }
  return resolved
}
