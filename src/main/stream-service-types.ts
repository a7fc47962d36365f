import type { ConnectionInfo } from '../shared/ipc-contract'
import type { ServerStatus, StreamState } from '../shared/protocol/messages'
import type { Clock } from '../shared/clock'
import type { FaultRequest } from './faults/fault-spec'
import type { LoadedScenario } from './server/stream-controls'
import type { SampleFile } from './sources/sample-file'
import type { BadLinePolicy } from './sources/sample-lines'
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
  /**
   * Seed of the draws, a whole number in [1, 2^32 − 1]: the same seed and the same changes give
   * the same values for the same sequence numbers. Default: a random one, shown everywhere.
   */
  seed?: number
  /** A scenario to run from the start: its text (JSON or YAML) and its file name. */
  scenario?: { text: string; name: string }
  /** Appends every sample to this file (CSV for `*.csv`, else NDJSON); it must not exist. */
  record?: string
  /** Serves a file's samples instead of drawing them (`--replay`), `speed` times its pace. */
  replay?: { path: string; file: SampleFile; speed: number }
  /** Serves every 0/1 line appended to a file (`--follow`). */
  follow?: { path: string; badLines: BadLinePolicy }
  /** Faults every connection gets unless it asks otherwise (`--faults`). */
  faults?: FaultRequest
  /** Where notices go (bad lines skipped, a recording that failed…). Default: console.warn. */
  log?: (message: string) => void
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
  /**
   * Step mode: draws exactly `count` samples now, only while stopped. Throws a `CodedError`:
   * `E_RUNNING` while running, `E_BAD_MESSAGE` unless `count` is a whole number in [1, 1000],
   * `E_NOT_SAMPLING` for a file source. Changes no part of the state but `nextSeq`, so no state
   * event goes out.
   */
  draw(count: number): StreamState
  /**
   * Draws from `seed` (random when omitted) from the next sample on. `E_INVALID_SEED` unless a
   * whole number in [1, 2^32 − 1]; `E_NOT_SAMPLING` for a file source.
   */
  reseed(seed?: number): StreamState
  /**
   * Runs a scenario from its text (JSON or YAML; `name` is its file name, whose extension picks
   * the syntax). Throws `E_BAD_SCENARIO` (naming the step and reason) or `E_NOT_SAMPLING`.
   */
  loadScenario(text: string, name: string): StreamState
  /** Ends the running scenario (no-op when none). */
  clearScenario(): StreamState
  /**
   * Records every sample from the next one on to `path` (CSV for `*.csv`, else NDJSON), with a
   * header naming the run; announced as a `recording` state event. Rejects with a `CodedError`:
   * `E_ALREADY_RECORDING` while a recording runs, `E_RECORDING_FAILED` (naming the file and why)
   * when the file cannot be created, exists (unless `replace`) or is the file being replayed or
   * followed, `E_SERVER_CLOSED` once closing.
   * @param options.replace replace an existing file (default false: recordings never overwrite).
   */
  startRecording(path: string, options?: { replace?: boolean }): Promise<StreamState>
  /** Writes what is pending, syncs and closes the recording (no-op when none). */
  stopRecording(): Promise<StreamState>
  /** The scenario running, if any. */
  loadedScenario(): LoadedScenario | null
  state(): StreamState
  status(): ServerStatus
  /** Calls `listener` after every change of p, interval or running state; returns an unsubscribe. */
  onStateChanged(listener: (state: StreamState) => void): () => void
  /** Stops sampling, closes every client with 1001 and releases the port. Idempotent. */
  close(): Promise<void>
}
