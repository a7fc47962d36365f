/** Largest number of samples in one replayed JSON message. */
export const REPLAY_CHUNK_SAMPLES = 4096
/** `state` events kept for resuming clients (~130 bytes each); older ones are not replayed. */
export const STATE_LOG_CAPACITY = 10_000
/**
 * Time a closing client gets to answer the close handshake before it is cut off, in ms. Wall
 * time on purpose: it guards a real socket's teardown, not the stream's schedule.
 */
export const CLOSE_GRACE_MS = 2000

/**
 * Longest wait at shutdown for every client to answer one last ping before it is closed, in ms
 * (wall time, like {@link CLOSE_GRACE_MS}).
 */
export const SHUTDOWN_SETTLE_MS = 500

/**
 * Largest request body read (and thrown away) on an HTTP path that takes none, bytes; a longer
 * one has its connection cut, so no peer can keep the server reading a body that never ends.
 */
export const MAX_IGNORED_BODY_BYTES = 16 * 1024

/** WebSocket close codes this server uses (RFC 6455 §7.4 and the private 4000–4999 range). */
export const CloseCode = {
  /** Server shutting down. */
  GoingAway: 1001,
  /** Peer broke the protocol badly enough that we stop talking. */
  PolicyViolation: 1008,
  /** Inbound message over the path's size limit. */
  MessageTooBig: 1009,
  /** The client did not read fast enough; it may reconnect and resume. */
  SlowConsumer: 4008
} as const

/** One of the {@link CloseCode} values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
