import { randomBytes, randomInt } from 'node:crypto'
import { basename, resolve } from 'node:path'
import { isIP } from 'node:net'
import { CodedError, ErrorCode } from '../shared/error-codes'
import type { ConnectionInfo } from '../shared/ipc-contract'
import type {
  ServerStatus,
  StateChange,
  StreamSource,
  StreamState
} from '../shared/protocol/messages'
import { JSON_STREAM_PATH, REFERENCE_PATH } from '../shared/protocol/messages'
import {
  checkDrawCount,
  checkIntervalMs,
  checkP,
  checkSeed,
  DEFAULT_INTERVAL_MS,
  MAX_SEED,
  unwrap
} from '../shared/sampler-settings'
import { formatOfName } from '../shared/recording/recording-format'
import { systemClock } from '../shared/clock'
import { RecordingWriter } from './recording/recording-writer'
import { BernoulliSampler } from './sampler/bernoulli-sampler'
import type { DrawnBatch, SampleSource } from './sampler/sample-source'
import { describeScenarioProblem } from './scenario/scenario'
import { ScenarioEngine, type ScenarioUpdate } from './scenario/scenario-engine'
import { parseScenarioText, syntaxOfName } from './scenario/scenario-file'
import type { LoadedScenario } from './server/stream-controls'
import { StreamServer } from './server/stream-server'
import { createFollowSource, createReplaySource, type FileSource } from './sources/file-sources'
import type { StreamService, StreamServiceOptions } from './stream-service-types'
import { SERVER_NAME } from './server-name'

export type { StreamService, StreamServiceOptions } from './stream-service-types'

/** A fresh random control token: 128 bits, URL-safe. */
export function createControlToken(): string {
  return randomBytes(16).toString('base64url')
}

/** A random seed for a run given none: shown everywhere, so any run can be repeated. */
export function drawSeed(): number {
  return randomInt(1, MAX_SEED + 1)
}

/**
 * Creates the sample source and its stream server, wired together. Throws a CodedError on
 * invalid sampler options (`E_INVALID_P`, `E_INVALID_INTERVAL`, `E_INVALID_SEED`) and a
 * RangeError on invalid server options; nothing listens until `listen()`, which also opens the
 * files the options name (a followed file, a recording).
 */
export function createStreamService(options: StreamServiceOptions = {}): StreamService {
  const clock = options.clock ?? systemClock
  const log = options.log ?? ((message: string) => console.warn(message))
  const streamId = randomBytes(8).toString('hex')
  const seed = options.seed === undefined ? drawSeed() : unwrap(checkSeed(options.seed))
  const intervalMs = unwrap(checkIntervalMs(options.intervalMs ?? DEFAULT_INTERVAL_MS))
  let recorder: RecordingWriter | null = null
  let recordingFromSeq = 1
  let recordingStarts = false
  let loaded: LoadedScenario | null = null
  let sampler: BernoulliSampler | null = null
  let fileSource: FileSource | null = null
  let announcedP: number | null | undefined
  const onSamples = (batch: DrawnBatch): void => {
    // A replayed recording's p changes go out as state events, before the samples drawn with it.
    // The source has already counted the batch: the change applies from its first sample.
    if (fileSource && batch.p !== undefined && announcedP !== undefined && batch.p !== announcedP)
      changed('p', batch.firstSeq)
    announcedP = batch.p ?? null
    recorder?.append(batch.firstSeq, batch.values, batch.timesMs, batch.p ?? null)
    server.publishSamples(batch)
  }
  const fileEvents = {
    onNotice: log,
    onEnded: (reason: string) => {
      log(reason)
      changed('running')
    }
  }
  let streamSource: StreamSource = { kind: 'sampler' }
  let source: SampleSource
  if (options.replay) {
    const { path, file, speed } = options.replay
    streamSource = { kind: 'replay', file: path, speed }
    fileSource = createReplaySource({
      clock,
      path,
      file,
      speed,
      intervalMs,
      onSamples,
      events: fileEvents
    })
    source = fileSource
  } else if (options.follow) {
    streamSource = { kind: 'follow', file: options.follow.path }
    // Opened in listen(); until then a stopped stand-in answers for it.
    source = idleSource(intervalMs)
  } else if (options.createSource) {
    source = options.createSource({ clock, onSamples })
  } else {
    sampler = new BernoulliSampler({
      clock,
      seed,
      p: options.p,
      intervalMs,
      onSamples,
      onScenarioUpdate: (update) => announce(update)
    })
    source = sampler
  }
  const listeners = new Set<(state: StreamState) => void>()
  const state = (): StreamState => {
    const status = source.status()
    const engine = sampler?.scenario ?? null
    return {
      p: status.p,
      intervalMs: status.intervalMs,
      running: status.running,
      nextSeq: source.nextSeq,
      seed: status.seed ?? null,
      source: streamSource,
      scenario: engine && loaded ? { ...engine.progress(), name: loaded.name } : null,
      recording: recorder && {
        file: recorder.path,
        format: recorder.format,
        fromSeq: recordingFromSeq,
        failed: recorder.failed
      }
    }
  }
  /** Announces a change; `fromSeq`: the first sample it applies to, when not the source's next. */
  const changed = (change: StateChange, fromSeq?: number): StreamState => {
    const current = fromSeq === undefined ? state() : { ...state(), nextSeq: fromSeq }
    server.publishState(change, current)
    for (const listener of listeners) listener(current)
    return current
  }
  // A scenario's change goes out as the usual state events, one per part that changed.
  const announce = (update: ScenarioUpdate): void => {
    let said = false
    if (update.p !== null) said = (changed('p'), true)
    if (update.intervalMs !== null) said = (changed('interval'), true)
    if (update.stop) said = (changed('running'), true)
    if (!said) changed('scenario')
  }
  const samplerOnly = (what: string): BernoulliSampler => {
    if (sampler) return sampler
    throw new CodedError(
      ErrorCode.NotSampling,
      `${what}: the samples come from ${streamSource.kind === 'sampler' ? 'a custom source' : streamSource.file}`
    )
  }
  // Rejects with the writer's own sentence (naming the file) when it cannot be created.
  const beginRecording = async (path: string, replace: boolean): Promise<RecordingWriter> => {
    const writer: RecordingWriter = await RecordingWriter.create({
      path,
      format: formatOfName(path),
      clock,
      replace,
      header: {
        run: streamId,
        server: SERVER_NAME,
        seed: source.status().seed ?? null,
        source:
          streamSource.kind === 'sampler' ? 'sampler' : `${streamSource.kind} ${streamSource.file}`,
        startedAt: new Date(clock.epochMs()).toISOString()
      },
      onError: (error) => {
        log(error.message)
        if (recorder === writer) changed('recording')
      }
    })
    recorder = writer
    recordingFromSeq = source.nextSeq
    return writer
  }
  const controlToken =
    options.controlToken === undefined ? createControlToken() : options.controlToken
  const server = new StreamServer({
    ...options,
    clock,
    streamId,
    serverName: SERVER_NAME,
    controlToken,
    serverFaults: options.faults ?? null,
    recording: () =>
      recorder && {
        file: recorder.path,
        samplesWritten: recorder.samplesWritten,
        failed: recorder.failed
      },
    sourceProgress: () => fileSource?.progress() ?? null,
    controls: {
      state,
      samplesDrawn: () => source.status().samplesDrawn,
      start: () => void service.start(),
      stop: () => void service.stop(),
      set: (change) => {
        if (change.p !== undefined) service.setP(change.p)
        if (change.intervalMs !== undefined) service.setIntervalMs(change.intervalMs)
      },
      draw: (count) => void service.draw(count),
      reseed: (next) => void service.reseed(next),
      scenario: () => loaded,
      loadScenario: (text, name) => void service.loadScenario(text, name),
      clearScenario: () => void service.clearScenario()
    }
  })
  let info: ConnectionInfo | null = null
  let closed = false

  const service: StreamService = {
    async listen() {
      // Nothing starts half-loaded: a scenario that cannot run is refused before any file opens.
      if (options.scenario) {
        const { text, name } = options.scenario
        const checked = parseScenarioText(text, name, syntaxOfName(name))
        if (!checked.ok)
          throw new CodedError(ErrorCode.BadScenario, describeScenarioProblem(checked.problem))
        samplerOnly('a scenario cannot run')
      }
      if (options.follow) {
        fileSource = await createFollowSource({
          clock,
          path: options.follow.path,
          badLines: options.follow.badLines,
          intervalMs,
          onSamples,
          events: fileEvents
        })
        source = fileSource
      }
      try {
        const address = await server.listen()
        info = connectionInfoFor(server.bindHost, address.port, controlToken)
      } catch (error) {
        await fileSource?.close()
        throw error
      }
      // Opened once the port is ours: a port that is taken leaves no file behind, so the desktop
      // app can try another port with the same --record.
      if (options.record) {
        try {
          await beginRecording(options.record, false)
        } catch (error) {
          await service.close()
          throw error
        }
      }
      if (options.scenario) service.loadScenario(options.scenario.text, options.scenario.name)
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
    setIntervalMs(next) {
      source.setIntervalMs(unwrap(checkIntervalMs(next)))
      return changed('interval')
    },
    draw(count) {
      // Samples drawn in step mode change no part of the state but nextSeq: no state event.
      source.draw(unwrap(checkDrawCount(count)))
      return state()
    },
    reseed(next) {
      const target = samplerOnly('the seed cannot be set')
      target.reseed(next === undefined ? drawSeed() : unwrap(checkSeed(next)))
      return changed('seed')
    },
    loadScenario(text, name) {
      const target = samplerOnly('a scenario cannot run')
      const checked = parseScenarioText(text, name, syntaxOfName(name))
      if (!checked.ok)
        throw new CodedError(ErrorCode.BadScenario, describeScenarioProblem(checked.problem))
      const { scenario } = checked
      const status = target.status()
      loaded = { name: scenario.name || basename(name), scenario }
      target.runScenario(
        new ScenarioEngine(
          scenario,
          { p: status.p ?? 0.5, intervalMs: status.intervalMs },
          status.seed ?? seed
        )
      )
      return changed('scenario')
    },
    clearScenario() {
      if (!loaded) return state()
      samplerOnly('no scenario runs').runScenario(null)
      loaded = null
      return changed('scenario')
    },
    async startRecording(path, { replace = false } = {}) {
      if (closed) throw new CodedError(ErrorCode.ServerClosed, 'the server is closing')
      if (recorder || recordingStarts) {
        throw new CodedError(
          ErrorCode.AlreadyRecording,
          `already recording${recorder ? ` to ${recorder.path}` : ''}: stop that recording first`
        )
      }
      if (streamSource.kind !== 'sampler' && resolve(path) === resolve(streamSource.file)) {
        throw new CodedError(
          ErrorCode.RecordingFailed,
          `${path} is the file the samples come from; record to another file`
        )
      }
      recordingStarts = true
      let writer: RecordingWriter
      try {
        writer = await beginRecording(path, replace)
      } catch (error) {
        throw new CodedError(ErrorCode.RecordingFailed, (error as Error).message)
      } finally {
        recordingStarts = false
      }
      // Closed while the file was being created: that recording ends with the rest.
      if (closed) {
        recorder = null
        await writer.close()
        throw new CodedError(ErrorCode.ServerClosed, 'the server is closing')
      }
      return changed('recording')
    },
    async stopRecording() {
      const writer = recorder
      if (!writer) return state()
      recorder = null
      await writer.close()
      return changed('recording')
    },
    loadedScenario: () => loaded,
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
      await recorder?.close()
      recorder = null
      await fileSource?.close()
    }
  }
  return service
}

/** Stands in for a followed file's source until listen() has opened the file. */
function idleSource(intervalMs: number): SampleSource {
  return {
    start: () => undefined,
    stop: () => undefined,
    setP: () => undefined,
    setIntervalMs: () => undefined,
    draw: () => undefined,
    status: () => ({
      running: false,
      seed: null,
      p: null,
      intervalMs,
      samplesDrawn: 0,
      samplesSkipped: 0,
      lastSeq: 0
    }),
    nextSeq: 1
  }
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
