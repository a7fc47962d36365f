import type { StreamState } from './protocol/messages'

/**
 * What the renderer needs to reach the stream: written by main, read through the preload bridge.
 * Never put into a URL: the token steers the stream.
 */
export interface ConnectionInfo {
  /** URL of the JSON stream for the renderer, e.g. `ws://127.0.0.1:8888/v1/stream`. */
  jsonStreamUrl: string
  /** Reference-dialect URL to give external clients, e.g. `ws://localhost:8888/websocket/`. */
  referenceUrl: string
  /** HTTP base URL of the server (status, SSE). */
  httpUrl: string
  /** Per-run secret that control messages must carry; null when the server does not require one. */
  controlToken: string | null
  /** Address the server is bound to; anything but loopback is exposed to the network. */
  host: string
  port: number
}

/**
 * Everything the page may ask of main, as main implements it: one method per bridge method.
 * Every argument is re-validated in main; the types are a convenience, not a defence.
 * State changes reach the page over its WebSocket like every other client, so there is no
 * event channel.
 */
export interface BridgeApi {
  start(): StreamState
  stop(): StreamState
  /** @param p probability of a 1, in [0, 1]. */
  setP(p: number): StreamState
  /** @param intervalMs milliseconds between samples, in [1, 60000]. */
  setIntervalMs(intervalMs: number): StreamState
  /**
   * Step mode: draws exactly `count` samples now, numbered like every other sample; only while
   * stopped (`E_RUNNING` otherwise). The samples reach the page over its socket.
   * @param count a whole number in [1, 1000] (`E_BAD_MESSAGE` otherwise).
   */
  draw(count: number): StreamState
  /**
   * Draws from `seed` from the next sample on: the same seed and the same changes give the same
   * values for the same sequence numbers. `E_NOT_SAMPLING` when the samples come from a file.
   * @param seed a whole number in [1, 2^32 − 1] (`E_INVALID_SEED` otherwise); a random one when
   *   omitted.
   */
  reseed(seed?: number): StreamState
  /**
   * Record to file…: main asks the user for a file with a save dialog (the page never names a
   * path) and records every sample from the next one on to it, NDJSON or CSV by its extension.
   * Resolves to the state with `recording` set, or to null when the user cancelled the dialog.
   * Refusals: `E_ALREADY_RECORDING` while a recording runs (or its dialog is open),
   * `E_RECORDING_FAILED` when the file cannot be created.
   */
  recordToFile(): StreamState | null
  /** Stop recording: writes what is pending and closes the file (the state without it). */
  stopRecording(): StreamState
  connectionInfo(): ConnectionInfo
}

/** A bridge method's name. */
export type BridgeMethod = keyof BridgeApi

/**
 * The one list of the IPC: bridge method → its invoke channel. The `satisfies` makes it total
 * both ways (a method without a channel, or a channel without a method, fails to compile); the
 * channel list, main's handlers, main's argument checks and the bridge are all derived from it.
 */
export const IPC_CHANNELS = {
  start: 'stream:start',
  stop: 'stream:stop',
  setP: 'stream:set-p',
  setIntervalMs: 'stream:set-interval',
  draw: 'stream:draw',
  reseed: 'stream:reseed',
  recordToFile: 'recording:start',
  stopRecording: 'recording:stop',
  connectionInfo: 'app:connection-info'
} as const satisfies { readonly [M in BridgeMethod]: `${string}:${string}` }

/** An invoke channel's name. */
export type IpcInvokeChannel = (typeof IPC_CHANNELS)[BridgeMethod]

/** Invoke channel → the function main implements for it (derived from {@link BridgeApi}). */
export type IpcInvokeContract = {
  [M in BridgeMethod as (typeof IPC_CHANNELS)[M]]: BridgeApi[M]
}

/** The bridge's methods, in declaration order. */
export const BRIDGE_METHODS = Object.freeze(Object.keys(IPC_CHANNELS) as BridgeMethod[])

/** The invoke channels, for main to register and tests to enumerate. */
export const IPC_INVOKE_CHANNELS = Object.freeze(
  BRIDGE_METHODS.map((method) => IPC_CHANNELS[method])
)

/**
 * The API the preload exposes on `window.bernoulli`: every method of {@link BridgeApi}, async.
 * A rejection carries an `IpcError` (see `ipc-reply.ts`): a plain `{ code, message }`.
 */
export type BernoulliBridge = {
  readonly [M in BridgeMethod]: (
    ...args: Parameters<BridgeApi[M]>
  ) => Promise<ReturnType<BridgeApi[M]>>
}

/** Name of the global the preload defines in the page. */
export const BRIDGE_GLOBAL = 'bernoulli'
