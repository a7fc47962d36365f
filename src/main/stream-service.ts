import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import type { ConnectionInfo } from '../shared/ipc-contract'
import type { ServerStatus, StateChange, StreamState } from '../shared/protocol/messages'
import { JSON_STREAM_PATH } from '../shared/protocol/messages'
import {
  checkIntervalMs,
  checkP,
  DEFAULT_INTERVAL_MS,
  DEFAULT_P,
  unwrap
} from '../shared/sampler-settings'
import { BernoulliSampler } from './sampler/bernoulli-sampler'
import { systemClock, type Clock } from './sampler/clock'
import { createRandomSource } from './sampler/random-source'
import { DEFAULT_HOST, DEFAULT_PORT } from './server/constants'
import { StreamServer, type StreamServerOptions } from './server/stream-server'
import type { StreamService, StreamServiceOptions } from './stream-service-types'
import { SERVER_NAME } from './server-name'

export type { StreamService, StreamServiceOptions } from './stream-service-types'

/** Server tuning passed through untouched (timers, buffers, limits), mostly for tests and benchmarks. */
export type StreamServiceTuning = Pick<
  StreamServerOptions,
  | 'replayCapacity'
  | 'jsonBatchMs'
  | 'maxBufferedBytes'
  | 'controlRatePerS'
  | 'controlBurst'
  | 'allowedOrigins'
  | 'allowedHostNames'
> & { clock?: Clock }

/** A fresh random control token: 128 bits, URL-safe. */
export function createControlToken(): string {
  return randomBytes(16).toString('base64url')
}

/**
 * Creates the sampler and its stream server, wired together. Throws a CodedError on invalid
 * options (`E_INVALID_P`, `E_INVALID_INTERVAL`, `E_INVALID_PORT`); nothing listens until `listen()`.
 */
export function createStreamService(
  options: StreamServiceOptions & StreamServiceTuning = {}
): StreamService {
  const host = options.host ?? DEFAULT_HOST
  const port = options.port ?? DEFAULT_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`)
  }
  const listeners = new Set<(state: StreamState) => void>()
  const sampler = new BernoulliSampler({
    clock: options.clock ?? systemClock,
    random: createRandomSource(options.seed),
    p: unwrap(checkP(options.p ?? DEFAULT_P)),
    intervalMs: unwrap(checkIntervalMs(options.intervalMs ?? DEFAULT_INTERVAL_MS)),
    onSamples: (batch) => server.publishSamples(batch)
  })
  const state = (): StreamState => {
    const status = sampler.status()
    return {
      p: status.p,
      intervalMs: status.intervalMs,
      running: status.running,
      nextSeq: sampler.nextSeq
    }
  }
  const changed = (change: StateChange): StreamState => {
    server.publishState(change)
    const current = state()
    for (const listener of listeners) listener(current)
    return current
  }
  const controlToken =
    options.controlToken === undefined ? createControlToken() : options.controlToken
  const server = new StreamServer({
    host,
    port,
    streamId: randomBytes(8).toString('hex'),
    serverName: SERVER_NAME,
    controlToken,
    staticDir: options.staticDir,
    pingIntervalMs: options.pingIntervalMs,
    peerTimeoutMs: options.peerTimeoutMs,
    maxPayloadBytes: options.maxPayloadBytes,
    replayCapacity: options.replayCapacity,
    jsonBatchMs: options.jsonBatchMs,
    maxBufferedBytes: options.maxBufferedBytes,
    controlRatePerS: options.controlRatePerS,
    controlBurst: options.controlBurst,
    allowedOrigins: options.allowedOrigins,
    allowedHostNames: options.allowedHostNames,
    controls: {
      state,
      samplesDrawn: () => sampler.status().samplesDrawn,
      start: () => void service.start(),
      stop: () => void service.stop(),
      set: (change) => {
        if (change.p !== undefined) service.setP(change.p)
        if (change.intervalMs !== undefined) service.setIntervalMs(change.intervalMs)
      }
    }
  })
  let info: ConnectionInfo | null = null
  let closed = false

  const service: StreamService = {
    async listen() {
      const address = await server.listen()
      info = connectionInfoFor(host, address.port, controlToken)
      if (options.autoStart ?? true) service.start()
      return info
    },
    connectionInfo() {
      if (!info) throw new Error('connectionInfo() called before listen() resolved')
      return info
    },
    start() {
      if (closed || sampler.status().running) return state()
      sampler.start()
      return changed('running')
    },
    stop() {
      if (!sampler.status().running) return state()
      sampler.stop()
      return changed('running')
    },
    setP(p) {
      sampler.setP(unwrap(checkP(p)))
      return changed('p')
    },
    setIntervalMs(intervalMs) {
      sampler.setIntervalMs(unwrap(checkIntervalMs(intervalMs)))
      return changed('interval')
    },
    state,
    status(): ServerStatus {
      return server.status()
    },
    onStateChanged(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    async close() {
      closed = true
      sampler.stop()
      listeners.clear()
      await server.close()
    }
  }
  return service
}

/** URLs for a server bound to `host:port`; wildcard binds are reached over loopback. */
export function connectionInfoFor(
  host: string,
  port: number,
  controlToken: string | null
): ConnectionInfo {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  const hostPart = isIP(reachable) === 6 ? `[${reachable}]` : reachable
  const externalHost = reachable === '127.0.0.1' ? 'localhost' : hostPart
  return {
    jsonStreamUrl: `ws://${hostPart}:${port}${JSON_STREAM_PATH}`,
    referenceUrl: `ws://${externalHost}:${port}/websocket/`,
    httpUrl: `http://${hostPart}:${port}`,
    controlToken,
    host,
    port
  }
}
