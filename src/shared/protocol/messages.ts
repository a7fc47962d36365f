import type { ErrorCode } from '../error-codes'

/** Version of the JSON protocol; sent in every `hello` and part of its path. Bump on breaking change. */
export const PROTOCOL_VERSION = 1

/** TCP port the server listens on unless told otherwise: the reference Tornado server's. */
export const DEFAULT_PORT = 8888

/** The reference (Tornado) dialect's own path: one text frame `"0"`/`"1"` per sample. */
export const REFERENCE_PATH = '/websocket/'
/** Every WebSocket path that speaks the reference dialect (a browser console connects to `/`). */
export const REFERENCE_PATHS: readonly string[] = ['/', REFERENCE_PATH.slice(0, -1), REFERENCE_PATH]
/**
 * WebSocket path of the versioned JSON protocol. Query `?after=N&stream=ID` resumes: the server
 * replays every sample after sequence number N of stream ID (all of the current run when ID is
 * another run's), then goes live.
 */
export const JSON_STREAM_PATH = '/v1/stream'
/** Server-Sent Events path (one-way, `id:` = sequence number, resumes with `Last-Event-ID`). */
export const SSE_PATH = '/v1/events'
/** Plain liveness probe: `200 ok`. */
export const HEALTH_PATH = '/healthz'
/** JSON status document, see {@link ServerStatus}. */
export const STATUS_PATH = '/status'
/** Prometheus metrics, text exposition format. */
export const METRICS_PATH = '/metrics'
/**
 * The running scenario: `GET` shows it (steps and progress), `PUT` loads one (JSON or YAML body,
 * authorised like a control message, token in `Authorization: Bearer …`), `DELETE` ends it.
 */
export const SCENARIO_PATH = '/v1/scenario'

/** Request id a client may attach to a control message; echoed in the `ack` or `error` reply. */
export type RequestId = string | number

/** The stream's controllable state, as every client sees it. */
export interface StreamState {
  /** Probability of a 1, in [0, 1]; null when the source does not say (a file of 0/1 lines). */
  p: number | null
  /** Milliseconds between samples, in [1, 60000]. */
  intervalMs: number
  /** Whether the sampler is drawing. */
  running: boolean
  /** Sequence number the next sample will carry (sequence numbers start at 1 and never repeat). */
  nextSeq: number
  /**
   * Seed of the draws: the same seed and the same changes give the same values for the same
   * sequence numbers. Null when samples come from a file. (Optional for servers before it.)
   */
  seed?: number | null
  /** Where samples come from: the sampler, a replayed file, or a followed one. */
  source?: StreamSource
  /** The scenario running, and where the stream is in it; null when none. */
  scenario?: ScenarioProgress | null
  /** The file every sample is being recorded to; null when none. */
  recording?: RecordingState | null
}

/**
 * A recording in progress (`--record`, or the desktop app's Record to file…). `file` is its path
 * on the server's machine; `fromSeq` the first sequence number it holds (later ones follow in
 * order); `failed` true once writing failed (a full disk), after which nothing more is written.
 */
export interface RecordingState {
  file: string
  format: 'ndjson' | 'csv'
  fromSeq: number
  failed: boolean
}

/** Where a stream's samples come from. `file` is the path given to `--replay` / `--follow`. */
export type StreamSource =
  | { kind: 'sampler' }
  | { kind: 'replay'; file: string; speed: number }
  | { kind: 'follow'; file: string }

/** Where the stream is in its scenario. */
export interface ScenarioProgress {
  /** The scenario's name, or its file's name. */
  name: string
  unit: 'seconds' | 'samples'
  /** Steps in the scenario. */
  steps: number
  /** 1-based number of the step in force; 0 before the first. */
  step: number
  /** 1-based pass through it (always 1 without `loop`). */
  pass: number
  loop: boolean
  /** Nothing more will change. */
  done: boolean
}

/**
 * Which part of {@link StreamState} a `state` event reports: p, the interval, running; `seed`
 * after a reseed; `scenario` when a scenario is loaded, ended, or moves to a step that changes
 * neither p nor the interval; `recording` when a recording starts, stops or fails.
 */
export type StateChange = 'p' | 'interval' | 'running' | 'seed' | 'scenario' | 'recording'

/** First message on every JSON connection. */
export interface HelloMessage {
  type: 'hello'
  protocol: typeof PROTOCOL_VERSION
  /** `bernoulli-stream/<version>`. */
  server: string
  /**
   * Random id of this server run. Sequence numbers restart at 1 with every run, so a client
   * that sees a new id must forget the last sequence number it had.
   */
  streamId: string
  state: StreamState
  /** True when the server requires a token on control messages. */
  controlRequiresToken: boolean
  /**
   * Address the server is bound to. Anything but loopback (`127.0.0.1`, `::1`, `localhost`)
   * means the stream is reachable from the network; clients should show it.
   */
  bindHost: string
  /**
   * The faults this connection gets, as the query parameters that reproduce them (with the
   * `faultseed` drawn when none was given); absent when it gets none.
   */
  faults?: string
}

/** Whether a bind address keeps the server on this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * A batch of consecutive samples: `values[i]` carries sequence number `seq + i` and was drawn at
 * `times[i]` (Unix epoch milliseconds, fractional). Batches are never empty.
 */
export interface SamplesMessage {
  type: 'samples'
  seq: number
  values: Array<0 | 1>
  times: number[]
}

/** Sent to every JSON client when p, the interval or the running state changes. */
export interface StateMessage {
  type: 'state'
  change: StateChange
  state: StreamState
}

/**
 * Samples `from`..`to` (inclusive) that a resuming client asked for are no longer held by the
 * server: they are lost to that client, and it must say so rather than pretend otherwise.
 */
export interface GapMessage {
  type: 'gap'
  from: number
  to: number
}

/** Positive reply to a control message that carried an `id`. */
export interface AckMessage {
  type: 'ack'
  id: RequestId | null
  state: StreamState
}

/** Reply to bad input; the connection stays open unless the close frame says otherwise. */
export interface ErrorMessage {
  type: 'error'
  code: ErrorCode
  message: string
  id: RequestId | null
}

export type ServerMessage =
  HelloMessage | SamplesMessage | StateMessage | GapMessage | AckMessage | ErrorMessage

/**
 * Control messages a JSON client may send. `token` is required when the server asks for it;
 * all are authorised alike and answered with an `ack` (the state after it) or an `error`.
 * - `draw`: step mode, only while stopped (else `E_RUNNING`): draws exactly `count` samples
 *   (1..1000) now, numbered and sent to every client like any other.
 * - `auth`: changes nothing; acked if this connection with this token may steer.
 */
export type ClientMessage =
  | { type: 'set'; id: RequestId | null; token: string | null; p?: number; intervalMs?: number }
  | { type: 'start'; id: RequestId | null; token: string | null }
  | { type: 'stop'; id: RequestId | null; token: string | null }
  | { type: 'draw'; id: RequestId | null; token: string | null; count: number }
  | { type: 'auth'; id: RequestId | null; token: string | null }
  | { type: 'reseed'; id: RequestId | null; token: string | null; seed?: number }

/** Every `type` a client may send. */
export const CLIENT_MESSAGE_TYPES: ReadonlyArray<ClientMessage['type']> = [
  'set',
  'start',
  'stop',
  'draw',
  'auth',
  'reseed'
]

/** Body of `GET /status`. */
export interface ServerStatus {
  protocol: typeof PROTOCOL_VERSION
  server: string
  streamId: string
  /** Address the server is bound to, see `HelloMessage.bindHost`. */
  bindHost: string
  state: StreamState
  /** Samples drawn since the server started. */
  samplesDrawn: number
  /** WebSocket frames and SSE events written to clients since the server started. */
  deliveries: number
  /** Bytes written to clients since the server started. */
  bytesSent: number
  /** Frames (or SSE events) and bytes written since the server started, by dialect. */
  sent: Record<'reference' | 'json' | 'sse', { frames: number; bytes: number }>
  /** Clients cut off for not reading (4008 on WebSocket) since the server started. */
  slowConsumersDropped: number
  /** Inbound JSON-protocol messages answered since the server started, by `ack` or error code. */
  control: Record<string, number>
  /** Samples held for resuming clients, and how many the replay buffer can hold. */
  replay: { held: number; capacity: number }
  /** Open connections: by dialect, in total, and by the path they connected to. */
  clients: {
    reference: number
    json: number
    sse: number
    total: number
    /** JSON and SSE clients still being replayed what they missed (not yet live). */
    replaying: number
    byPath: Record<string, number>
  }
  /** Seconds since the server started listening. */
  uptimeS: number
  /** Faults applied to connections that asked for them (or `--faults`), by kind. */
  faults?: Record<string, number>
  /** The recording being written (`--record`), or null. */
  recording?: { file: string; samplesWritten: number; failed: boolean } | null
  /** A file source's progress: samples played of the file (replay), lines read (follow). */
  sourceProgress?: {
    played: number
    total: number | null
    badLines: number
    error: string | null
  } | null
}
