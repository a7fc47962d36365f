import { randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import type { ConnectionInfo } from '../shared/ipc-contract'
import type { ServerStatus, StateChange, StreamState } from '../shared/protocol/messages'
import { JSON_STREAM_PATH, REFERENCE_PATH } from '../shared/protocol/messages'
import { checkIntervalMs, checkP, unwrap } from '../shared/sampler-settings'
import { systemClock } from './clock'
import { BernoulliSampler } from './sampler/bernoulli-sampler'
import { createRandomSource } from './sampler/random-source'
import type { SampleSourceFactory } from './sampler/sample-source'
import { StreamServer } from './server/stream-server'
import type { StreamService, StreamServiceOptions } from './stream-service-types'
import { SERVER_NAME } from './server-name'

export type { StreamService, StreamServiceOptions } from './stream-service-types'

/** A fresh random control token: 128 bits, URL-safe. */
export function createControlToken(): string {
  return randomBytes(16).toString('base64url')
}

/**
 * Creates the sample source and its stream server, wired together. Throws a CodedError on
 * invalid sampler options (`E_INVALID_P`, `E_INVALID_INTERVAL`) and a RangeError on invalid
 * server options; nothing listens until `listen()`.
 */
export function createStreamService(options: StreamServiceOptions = {}): StreamService {
  const clock = options.clock ?? systemClock
  const createSource: SampleSourceFactory =
    options.createSource ??
    ((context) =>
      new BernoulliSampler({
        ...context,
        random: createRandomSource(options.seed),
        p: options.p,
        intervalMs: options.intervalMs
      }))
  const source = createSource({ clock, onSamples: (batch) => server.publishSamples(batch) })
  const listeners = new Set<(state: StreamState) => void>()
  const state = (): StreamState => {
    const { p, intervalMs, running } = source.status()
    return { p, intervalMs, running, nextSeq: source.nextSeq }
  }
  const changed = (change: StateChange): StreamState => {
    const current = state()
    server.publishState(change, current)
    for (const listener of listeners) listener(current)
    return current
  }
  const controlToken =
    options.controlToken === undefined ? createControlToken() : options.controlToken
  const server = new StreamServer({
    ...options,
    clock,
    streamId: randomBytes(8).toString('hex'),
    serverName: SERVER_NAME,
    controlToken,
    controls: {
      state,
      samplesDrawn: () => source.status().samplesDrawn,
      start: () => void service.start(),
      stop: () => void service.stop(),
      set: (change) => {
        if (change.p !== undefined) service.setP(change.p)
        if (change.intervalMs !== undefined) service.setIntervalMs(change.intervalMs)
      },
      // Samples drawn in step mode change no part of the state but nextSeq: no state event.
      draw: (count) => source.draw(count)
    }
  })
  let info: ConnectionInfo | null = null
  let closed = false

  const service: StreamService = {
    async listen() {
      const address = await server.listen()
      info = connectionInfoFor(server.bindHost, address.port, controlToken)
      if (options.autoStart ?? true) service.start()
      return info
    },
    connectionInfo() {
      if (!info) throw new Error('connectionInfo() called before listen() resolved')
      return info
    },
    start() {
      if (closed || source.status().running) return state()
      source.start()
      return changed('running')
    },
    stop() {
      if (!source.status().running) return state()
      source.stop()
      return changed('running')
    },
    setP(p) {
      source.setP(unwrap(checkP(p)))
      return changed('p')
    },
    setIntervalMs(intervalMs) {
      source.setIntervalMs(unwrap(checkIntervalMs(intervalMs)))
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
      source.stop()
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
    referenceUrl: `ws://${externalHost}:${port}${REFERENCE_PATH}`,
    httpUrl: `http://${hostPart}:${port}`,
    controlToken,
    host,
    port
  }
}
