/** Default TCP port, the reference server's. */
export const DEFAULT_PORT = 8888
/** Default bind address: loopback only, so nothing is exposed and no firewall prompt appears. */
export const DEFAULT_HOST = '127.0.0.1'
/** Milliseconds between server pings (the reference clients use 10 s). */
export const DEFAULT_PING_INTERVAL_MS = 10_000
/** A peer silent for this many milliseconds is terminated (the reference clients use 30 s). */
export const DEFAULT_PEER_TIMEOUT_MS = 30_000
/** Largest inbound message in bytes (10 MiB); larger ones close the connection with 1009. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024
/** Samples the replay buffer holds: 10 minutes at 1 ms, ~5.4 MB (1 byte + 8 bytes each). */
export const DEFAULT_REPLAY_CAPACITY = 600_000
/** JSON clients get samples at most this many milliseconds after they were drawn (batching at high rates). */
export const DEFAULT_JSON_BATCH_MS = 16
/** A client with more than this many bytes unsent is dropped as a slow consumer (4 MiB). */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024
/** Control messages allowed per connection per second (sustained), and the burst on top. */
export const DEFAULT_CONTROL_RATE_PER_S = 20
export const DEFAULT_CONTROL_BURST = 40
/** Largest number of samples in one replayed JSON message. */
export const REPLAY_CHUNK_SAMPLES = 4096
/** Time a closing client gets to answer the close handshake before it is cut off, in ms. */
export const CLOSE_GRACE_MS = 2000

/** WebSocket close codes this server uses (RFC 6455 §7.4 and the private 4000–4999 range). */
export const CloseCode = {
  /** Server shutting down. */
  GoingAway: 1001,
  /** Peer broke the protocol badly enough that we stop talking. */
  PolicyViolation: 1008,
  /** Inbound message over maxPayload. */
  MessageTooBig: 1009,
  /** The client did not read fast enough; it may reconnect and resume. */
  SlowConsumer: 4008
} as const
