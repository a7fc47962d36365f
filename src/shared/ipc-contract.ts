import type { ServerStatus, StreamState } from './protocol/messages'

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
 * Invoke channels: channel name → the function main implements. Main's `handle()` and the
 * preload's invokers are both generic over this map, so a channel's types are written once.
 * Every argument is re-validated in main; the types are a convenience, not a defence.
 */
export interface IpcInvokeContract {
  'stream:start': () => StreamState
  'stream:stop': () => StreamState
  'stream:set-p': (p: number) => StreamState
  'stream:set-interval': (intervalMs: number) => StreamState
  'stream:status': () => ServerStatus
  'app:connection-info': () => ConnectionInfo
}

/** Event channels main pushes to the renderer: channel name → payload. */
export interface IpcEventContract {
  'stream:state-changed': StreamState
}

export type IpcInvokeChannel = keyof IpcInvokeContract
export type IpcEventChannel = keyof IpcEventContract

/** The invoke channels, for main to register and tests to enumerate. */
export const IPC_INVOKE_CHANNELS = [
  'stream:start',
  'stream:stop',
  'stream:set-p',
  'stream:set-interval',
  'stream:status',
  'app:connection-info'
] as const satisfies readonly IpcInvokeChannel[]

type Promisified<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never

/** Bridge method name → the invoke channel it calls. The preload builds its invokers from this. */
export const BRIDGE_METHODS = {
  start: 'stream:start',
  stop: 'stream:stop',
  setP: 'stream:set-p',
  setIntervalMs: 'stream:set-interval',
  status: 'stream:status',
  connectionInfo: 'app:connection-info'
} as const satisfies Record<string, IpcInvokeChannel>

/**
 * The API the preload exposes on `window.bernoulli`, derived from the contract: every invoke
 * channel becomes an async method; the event becomes a subscription that returns an unsubscribe.
 */
export type BernoulliBridge = {
  [M in keyof typeof BRIDGE_METHODS]: Promisified<IpcInvokeContract[(typeof BRIDGE_METHODS)[M]]>
} & {
  onStateChanged: (
    listener: (state: IpcEventContract['stream:state-changed']) => void
  ) => () => void
}

/** Name of the global the preload defines in the page. */
export const BRIDGE_GLOBAL = 'bernoulli'
