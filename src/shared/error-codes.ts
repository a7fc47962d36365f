/**
 * Stable, machine-readable error codes. They appear in JSON-protocol `error` replies, in IPC
 * rejections and in thrown {@link CodedError}s. Never rename one: clients switch on them.
 */
export const ErrorCode = {
  /** A frame on the JSON path was not valid JSON. */
  BadJson: 'E_BAD_JSON',
  /** Valid JSON, but not an object with a known `type`. */
  UnknownType: 'E_UNKNOWN_TYPE',
  /** A known message with a missing or wrongly typed field. */
  BadMessage: 'E_BAD_MESSAGE',
  /** Binary frames are not part of the JSON protocol. */
  BinaryNotSupported: 'E_BINARY_NOT_SUPPORTED',
  /** p outside [0, 1], or not a finite number. */
  InvalidP: 'E_INVALID_P',
  /** Interval outside [1, 60000] ms, or not a finite number. */
  InvalidInterval: 'E_INVALID_INTERVAL',
  /** A seed that is not a whole number in [1, 2^32 − 1]. */
  InvalidSeed: 'E_INVALID_SEED',
  /** A scenario the server cannot run (the message says which step, and why). */
  BadScenario: 'E_BAD_SCENARIO',
  /** p, the interval or the seed cannot be set: the samples come from a file. */
  NotSampling: 'E_NOT_SAMPLING',
  /** A request body larger than its path accepts. */
  TooLarge: 'E_TOO_LARGE',
  /** A port outside [0, 65535] or not an integer. */
  InvalidPort: 'E_INVALID_PORT',
  /** The requested port is already taken. */
  PortInUse: 'E_PORT_IN_USE',
  /** Listening failed for another reason (permission, bad address). */
  ListenFailed: 'E_LISTEN_FAILED',
  /** A control message without the per-run token, or with a wrong one. */
  Unauthorized: 'E_UNAUTHORIZED',
  /** A control message from an Origin that is not allowed to steer the stream. */
  ForbiddenOrigin: 'E_FORBIDDEN_ORIGIN',
  /** Too many control messages, error replies or failed control attempts in a short time. */
  RateLimited: 'E_RATE_LIMITED',
  /** A step-mode `draw` while the sampler is running: stop it first. */
  Running: 'E_RUNNING',
  /** A recording was asked for while one is being written: stop it first. */
  AlreadyRecording: 'E_ALREADY_RECORDING',
  /** A recording's file cannot be created or written (the message names it and says why). */
  RecordingFailed: 'E_RECORDING_FAILED',
  /** A bad argument to an IPC call, or a call from an unknown sender. */
  InvalidIpc: 'E_INVALID_IPC',
  /** The server is closing or closed. */
  ServerClosed: 'E_SERVER_CLOSED',
  /** An unexpected failure inside the app (a bug); the message says what. */
  Internal: 'E_INTERNAL'
} as const

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** An error with a stable {@link ErrorCode}; `message` is for people, `code` for programs. */
export class CodedError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'CodedError'
    this.code = code
  }
}
