import { vi } from 'vitest'
import { CodedError, ErrorCode } from '../../../src/shared/error-codes'
import type { ConnectionInfo } from '../../../src/shared/ipc-contract'
import type { ServerStatus, StreamState } from '../../../src/shared/protocol/messages'
import {
  checkDrawCount,
  checkIntervalMs,
  checkP,
  checkSeed,
  unwrap
} from '../../../src/shared/sampler-settings'
import type { StreamService } from '../../../src/main/stream-service-types'

/** A StreamService double: real validation and state, no sockets; every method is a spy. */
export interface FakeStreamService extends StreamService {
  /** Calls every state listener, as the real service does after a change. */
  emitState(): void
  listenerCount(): number
}

/** Options of {@link createFakeStreamService}. */
export interface FakeStreamServiceOptions {
  port?: number
  /** What `listen()` rejects with, if anything. */
  listenError?: unknown
}

export function connectionInfoForPort(port: number): ConnectionInfo {
  return {
    jsonStreamUrl: `ws://127.0.0.1:${port}/v1/stream`,
    referenceUrl: `ws://localhost:${port}/websocket/`,
    httpUrl: `http://127.0.0.1:${port}`,
    controlToken: 'token',
    host: '127.0.0.1',
    port
  }
}

export function createFakeStreamService(options: FakeStreamServiceOptions = {}): FakeStreamService {
  const state: StreamState = { p: 0.72, intervalMs: 100, running: true, nextSeq: 1, seed: 7 }
  const listeners = new Set<(state: StreamState) => void>()
  // Port 0 stands for "the OS picks": the fake picks 49152.
  const info = connectionInfoForPort(options.port === 0 ? 49152 : (options.port ?? 8888))
  const emit = (): StreamState => {
    const snapshot = { ...state }
    for (const listener of listeners) listener(snapshot)
    return snapshot
  }
  const status = (): ServerStatus => ({
    protocol: 1,
    server: 'bernoulli-stream/test',
    streamId: 'test-run',
    bindHost: '127.0.0.1',
    state: { ...state },
    samplesDrawn: 0,
    deliveries: 0,
    bytesSent: 0,
    sent: {
      reference: { frames: 0, bytes: 0 },
      json: { frames: 0, bytes: 0 },
      sse: { frames: 0, bytes: 0 }
    },
    slowConsumersDropped: 0,
    control: {},
    replay: { held: 0, capacity: 600_000 },
    clients: { reference: 0, json: 0, sse: 0, total: 0, replaying: 0, byPath: {} },
    uptimeS: 0
  })
  return {
    listen: vi.fn(async () => {
      if (options.listenError !== undefined) throw options.listenError
      return info
    }),
    connectionInfo: vi.fn(() => info),
    draw: vi.fn((count: number) => {
      const checked = unwrap(checkDrawCount(count))
      if (state.running) throw new CodedError(ErrorCode.Running, 'stop the stream first')
      state.nextSeq += checked
      return { ...state }
    }),
    reseed: vi.fn((seed?: number) => {
      state.seed = seed === undefined ? 12345 : unwrap(checkSeed(seed))
      return emit()
    }),
    loadScenario: vi.fn(() => emit()),
    clearScenario: vi.fn(() => emit()),
    loadedScenario: vi.fn(() => null),
    startRecording: vi.fn(async (path: string) => {
      if (state.recording) throw new CodedError(ErrorCode.AlreadyRecording, 'already recording')
      state.recording = { file: path, format: 'ndjson', fromSeq: state.nextSeq, failed: false }
      return emit()
    }),
    stopRecording: vi.fn(async () => {
      state.recording = null
      return emit()
    }),
    start: vi.fn(() => {
      state.running = true
      return emit()
    }),
    stop: vi.fn(() => {
      state.running = false
      return emit()
    }),
    setP: vi.fn((p: number) => {
      state.p = unwrap(checkP(p))
      return emit()
    }),
    setIntervalMs: vi.fn((intervalMs: number) => {
      state.intervalMs = unwrap(checkIntervalMs(intervalMs))
      return emit()
    }),
    state: vi.fn(() => ({ ...state })),
    status: vi.fn(status),
    onStateChanged: vi.fn((listener: (state: StreamState) => void) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    }),
    close: vi.fn(async () => undefined),
    emitState: () => {
      emit()
    },
    listenerCount: () => listeners.size
  }
}

export const portInUse = (port: number): CodedError =>
  new CodedError(ErrorCode.PortInUse, `port ${port} is already in use`)
