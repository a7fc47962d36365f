import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import {
  JSON_STREAM_PATH,
  PROTOCOL_VERSION,
  REFERENCE_PATHS,
  SSE_PATH,
  type ServerMessage,
  type ServerStatus,
  type StateChange,
  type StreamState
} from '../../shared/protocol/messages'
import type { Clock } from '../../shared/clock'
import {
  describeFaults,
  parseFaultParams,
  resolveFaults,
  type FaultRequest,
  type FaultSpec
} from '../faults/fault-spec'
import {
  createStreamMetrics,
  type MetricsSnapshot,
  type StreamMetrics
} from '../metrics/stream-metrics'
import { randomSeed } from '../random/counter-random'
import type { DrawnBatch, SampleBatch } from '../sampler/sample-source'
import { STATE_LOG_CAPACITY } from './constants'
import { Delivery } from './delivery'
import { FailedControlLimiter } from './failed-control-limiter'
import { encodeJsonFrame, encodeReferenceFrames } from './frame-encoder'
import { HttpRoutes, plainText, routeUpgrade } from './http-routes'
import { JsonBatcher } from './json-batcher'
import { JsonEndpoint } from './json-endpoint'
import { ReplayBuffer } from './replay-buffer'
import type { ReplaySource } from './replay-pump'
import { samplesPayload, sliceBatch } from './samples-payload'
import { ScenarioRoute } from './scenario-route'
import { resolveServerTuning, type ServerTuning } from './server-options'
import { ServerStats } from './server-stats'
import { StateLog } from './state-log'
import { SseChannel } from './sse-channel'
import type { StreamControls } from './stream-controls'
import { WebSocketChannel } from './websocket-channel'

export type { StreamControls } from './stream-controls'

/** Options of {@link StreamServer}: the tunables (defaults in `SERVER_DEFAULTS`) and the run. */
export interface StreamServerOptions extends Partial<ServerTuning> {
  controls: StreamControls
  clock: Clock
  /** Random id of this run, see `HelloMessage.streamId`. */
  streamId: string
  /** Name and version sent in greetings, e.g. `bernoulli-stream/0.1.0`. */
  serverName: string
  /** Token that control messages must carry; null disables the check. */
  controlToken: string | null
  /** Where bugs met while answering peers are reported. Default: `console.error`. */
  logError?: (context: string, error: unknown) => void
  /** Faults every connection gets unless it asks otherwise (`--faults`). Default none. */
  serverFaults?: FaultRequest | null
  /** The recording being written, for `/status`. */
  recording?: () => ServerStatus['recording']
  /** A file source's progress, for `/status`. */
  sourceProgress?: () => ServerStatus['sourceProgress']
}

const logToConsole = (context: string, error: unknown): void =>
  console.error(`[stream-server] unexpected error while answering ${context}:`, error)

/**
 * One port for everything: the reference dialect (`"0"`/`"1"` text frames on `/websocket/`
 * and `/`), the versioned JSON protocol, Server-Sent Events, `/healthz`, `/status` and the
 * built renderer. This file only wires: each concern lives in its own module.
 */
export class StreamServer {
  readonly #tuning: ServerTuning
  readonly #run: StreamServerOptions
  readonly #clock: Clock
  readonly #logError: (context: string, error: unknown) => void
  readonly #stats = new ServerStats()
  readonly #replay: ReplayBuffer
  readonly #states = new StateLog(STATE_LOG_CAPACITY)
  readonly #batcher: JsonBatcher
  readonly #websockets: WebSocketChannel
  readonly #sse: SseChannel
  readonly #json: JsonEndpoint
  readonly #routes: HttpRoutes
  readonly #metrics: StreamMetrics
  readonly #http: Server
  readonly #referenceUpgrades: WebSocketServer
  readonly #jsonUpgrades: WebSocketServer
  #heartbeatTimer: unknown = null
  #startedAtMs: number | null = null
  #closing: Promise<void> | null = null
  #address: AddressInfo | null = null

  constructor(options: StreamServerOptions) {
    const tuning = resolveServerTuning(options)
    this.#tuning = tuning
    this.#run = options
    this.#clock = options.clock
    this.#logError = options.logError ?? logToConsole
    this.#replay = new ReplayBuffer(tuning.replayCapacity)
    this.#stats.replayCapacity = tuning.replayCapacity
    const delivery = new Delivery(this.#stats, tuning.maxBufferedBytes)
    const history: ReplaySource = {
      buffer: this.#replay,
      states: this.#states,
      liveFrom: this.#liveFrom,
      delivery,
      highWaterBytes: tuning.maxBufferedBytes / 4
    }
    const hello = (faults: FaultSpec | null = null): string => this.#hello(faults)
    this.#batcher = new JsonBatcher({
      clock: this.#clock,
      batchMs: tuning.jsonBatchMs,
      onFlush: (batch) => this.#broadcastSamples(batch)
    })
    this.#websockets = new WebSocketChannel({
      clock: this.#clock,
      delivery,
      stats: this.#stats,
      pingIntervalMs: tuning.pingIntervalMs,
      peerTimeoutMs: tuning.peerTimeoutMs
    })
    this.#sse = new SseChannel({
      clock: this.#clock,
      delivery,
      stats: this.#stats,
      history,
      keepAliveMs: tuning.pingIntervalMs,
      peerTimeoutMs: tuning.peerTimeoutMs,
      streamId: options.streamId,
      hello
    })
    // One allowance of failed attempts for every way of steering: control messages and uploads.
    const failures = new FailedControlLimiter({
      perAddressRatePerS: tuning.failedControlPerAddressRatePerS,
      perAddressBurst: tuning.failedControlPerAddressBurst,
      overallRatePerS: tuning.failedControlRatePerS,
      overallBurst: tuning.failedControlBurst
    })
    this.#json = new JsonEndpoint({
      ...tuning,
      clock: this.#clock,
      channel: this.#websockets,
      delivery,
      stats: this.#stats,
      controls: options.controls,
      history,
      flush: this.#batcher.flush,
      streamId: options.streamId,
      controlToken: options.controlToken,
      isClosing: () => this.#closing !== null,
      hello,
      logError: this.#logError,
      failures
    })
    this.#metrics = createStreamMetrics(() => this.#metricsSnapshot())
    this.#routes = new HttpRoutes({
      allowedHostNames: tuning.allowedHostNames,
      staticDir: tuning.staticDir,
      status: () => this.status(),
      metrics: this.#metrics,
      scenario: new ScenarioRoute({
        clock: this.#clock,
        controls: options.controls,
        stats: this.#stats,
        controlToken: options.controlToken,
        allowedOrigins: tuning.allowedOrigins,
        controlRatePerS: tuning.controlRatePerS,
        controlBurst: tuning.controlBurst,
        failures,
        isClosing: () => this.#closing !== null
      }),
      isClosing: () => this.#closing !== null,
      acceptSse: (request, response, url) => {
        const faults = this.#faultsFor(url)
        if (!faults.ok) return plainText(response, 400, `${faults.message}\n`)
        // As for JSON clients: replay must end exactly where the next live event begins.
        this.#batcher.flush()
        this.#sse.accept(request, response, url, faults.spec)
      }
    })
    this.#http = createServer((request, response) => this.#onRequest(request, response))
    this.#http.on('upgrade', (request, socket, head) => this.#onUpgrade(request, socket, head))
    this.#http.on('connection', (socket: Socket) => socket.setNoDelay(true))
    // One WebSocket server per inbound limit: what a path may receive is bounded by what it needs.
    this.#referenceUpgrades = upgradeServer(tuning.referenceMaxPayloadBytes)
    this.#jsonUpgrades = upgradeServer(tuning.jsonMaxPayloadBytes)
  }

  /**
   * Binds the port. Rejects with a CodedError: `E_PORT_IN_USE` when the port is taken,
   * `E_LISTEN_FAILED` otherwise. Resolves to the bound address (the real port when 0 was asked).
   */
  listen(): Promise<AddressInfo> {
    const { host, port } = this.#tuning
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EADDRINUSE') {
          reject(new CodedError(ErrorCode.PortInUse, `port ${port} on ${host} is already in use`))
        } else {
          reject(
            new CodedError(
              ErrorCode.ListenFailed,
              `cannot listen on ${host}:${port}: ${error.code ?? error.message}`
            )
          )
        }
      }
      this.#http.once('error', onError)
      this.#http.listen(port, host, () => {
        this.#http.off('error', onError)
        this.#address = this.#http.address() as AddressInfo
        this.#startedAtMs = this.#clock.monotonicMs()
        this.#armHeartbeat()
        resolve(this.#address)
      })
    })
  }

  /** The bound address; throws before `listen()` resolved. */
  get address(): AddressInfo {
    if (!this.#address) throw new Error('StreamServer.address read before listen() resolved')
    return this.#address
  }

  /** The address it binds (or bound), as configured: `127.0.0.1`, `0.0.0.0`, a name… */
  get bindHost(): string {
    return this.#tuning.host
  }

  /** The server's counters, live (for `/status` and metrics). */
  get stats(): ServerStats {
    return this.#stats
  }

  /** Hands newly drawn samples to every client: reference frames now, JSON within `jsonBatchMs`. */
  publishSamples(batch: DrawnBatch): void {
    if (this.#closing) return
    this.#replay.append(batch)
    this.#stats.samplesPublished += batch.values.length
    this.#stats.replayHeld = this.#replay.size
    const { firstSeq, values } = batch
    const frames = encodeReferenceFrames(values)
    this.#websockets.broadcastSamples(
      'reference',
      firstSeq,
      values.length,
      frames,
      values.length,
      // A connection with faults shares the frames too when it gets the whole batch.
      (start, end) =>
        start === 0 && end === values.length
          ? frames
          : encodeReferenceFrames(values.slice(start, end))
    )
    this.#batcher.add(batch)
  }

  /** Tells every JSON and SSE client that p, the interval or the running state changed. */
  publishState(change: StateChange, state: StreamState): void {
    if (this.#closing) return
    // Samples drawn before the change go out first, so clients see the change exactly where it happened.
    this.#batcher.flush()
    const message = JSON.stringify({ type: 'state', change, state } satisfies ServerMessage)
    // Logged for the clients still replaying: they get it after the same sample, in turn.
    this.#states.append(state.nextSeq, message)
    this.#websockets.broadcast('json', encodeJsonFrame(message), 1)
    this.#sse.publish('state', message)
  }

  status(): ServerStatus {
    const websockets = this.#websockets
    const reference = websockets.size('reference')
    const json = websockets.size('json')
    const sse = this.#sse.size
    const { controls, streamId, serverName } = this.#run
    const stats = this.#stats
    return {
      protocol: PROTOCOL_VERSION,
      server: serverName,
      streamId,
      bindHost: this.#tuning.host,
      state: controls.state(),
      samplesDrawn: controls.samplesDrawn(),
      deliveries: stats.framesSent,
      bytesSent: stats.bytesSent,
      sent: {
        reference: { ...stats.sent.reference },
        json: { ...stats.sent.json },
        sse: { ...stats.sent.sse }
      },
      slowConsumersDropped: stats.slowConsumersDropped,
      control: Object.fromEntries(stats.controlByResult),
      replay: { held: stats.replayHeld, capacity: stats.replayCapacity },
      clients: {
        reference,
        json,
        sse,
        total: reference + json + sse,
        replaying: websockets.replaying('json') + this.#sse.replaying,
        byPath: Object.fromEntries(stats.clientsByPath)
      },
      uptimeS:
        this.#startedAtMs === null ? 0 : (this.#clock.monotonicMs() - this.#startedAtMs) / 1000,
      faults: { ...stats.faultsApplied },
      recording: this.#run.recording?.() ?? null,
      sourceProgress: this.#run.sourceProgress?.() ?? null
    }
  }

  #metricsSnapshot(): MetricsSnapshot {
    const stats = this.#stats
    const state = this.#run.controls.state()
    return {
      streamId: this.#run.streamId,
      seed: state.seed ?? null,
      source: state.source?.kind ?? 'sampler',
      // Every stream path has a series, 0 included, so a dashboard need not guess the names.
      clients: { ...EMPTY_PATHS, ...Object.fromEntries(stats.clientsByPath) },
      samplesDrawn: this.#run.controls.samplesDrawn(),
      framesSent: mapDialects(stats.sent, (counters) => counters.frames),
      bytesSent: mapDialects(stats.sent, (counters) => counters.bytes),
      slowConsumersDropped: stats.slowConsumersDropped,
      faults: stats.faultsApplied,
      replayBuffer: { held: stats.replayHeld, capacity: stats.replayCapacity },
      controlMessages: Object.fromEntries(stats.controlByResult),
      running: state.running,
      p: state.p,
      intervalMs: state.intervalMs
    }
  }

  /** The faults a connection to `url` gets (its query over `--faults`), or why its query is refused. */
  #faultsFor(url: URL): { ok: true; spec: FaultSpec | null } | { ok: false; message: string } {
    const serverWide = this.#run.serverFaults ?? null
    // The common case first: no query, no server-wide faults, nothing to parse or allocate.
    if (serverWide === null && url.search === '') return { ok: true, spec: null }
    const parsed = parseFaultParams(url.searchParams)
    if (!parsed.ok) return parsed
    return { ok: true, spec: resolveFaults(serverWide, parsed.request, () => randomSeed()) }
  }

  /** Closes every client with 1001, stops the timers and releases the port. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown()
    return this.#closing
  }

  async #shutDown(): Promise<void> {
    this.#batcher.flush()
    if (this.#heartbeatTimer !== null) this.#clock.clearTimer(this.#heartbeatTimer)
    this.#heartbeatTimer = null
    const websocketsClosed = this.#websockets.closeAll()
    this.#sse.closeAll()
    const httpClosed = new Promise<void>((done) => {
      if (!this.#http.listening) return done()
      this.#http.close(() => done())
    })
    await websocketsClosed
    this.#http.closeAllConnections()
    await httpClosed
  }

  // One timer for every peer: pings the ones due and cuts off the ones silent too long.
  #armHeartbeat(): void {
    const { pingIntervalMs, peerTimeoutMs } = this.#tuning
    const everyMs = Math.max(5, Math.min(pingIntervalMs, peerTimeoutMs) / 4)
    const sweep = (): void => {
      const now = this.#clock.monotonicMs()
      this.#websockets.sweep(now)
      this.#sse.keepAlive(now)
      this.#heartbeatTimer = this.#clock.setTimer(sweep, everyMs)
    }
    this.#heartbeatTimer = this.#clock.setTimer(sweep, everyMs)
  }

  #broadcastSamples(batch: SampleBatch): void {
    const message = samplesPayload(batch)
    const frame = encodeJsonFrame(message)
    // Serialised and framed once; the same bytes go to every client without faults.
    this.#websockets.broadcastSamples(
      'json',
      batch.firstSeq,
      batch.values.length,
      frame,
      1,
      (start, end) =>
        start === 0 && end === batch.values.length
          ? frame
          : encodeJsonFrame(samplesPayload(sliceBatch(batch, start, end)))
    )
    this.#sse.publishSamples(batch, message)
  }

  #hello(faults: FaultSpec | null): string {
    return JSON.stringify({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      server: this.#run.serverName,
      streamId: this.#run.streamId,
      state: this.#run.controls.state(),
      controlRequiresToken: this.#run.controlToken !== null,
      bindHost: this.#tuning.host,
      ...(faults ? { faults: describeFaults(faults) } : {})
    } satisfies ServerMessage)
  }

  /** Sequence number the next live JSON or SSE broadcast starts with (samples not yet flushed). */
  #liveFrom = (): number => this.#batcher.pendingFrom ?? this.#replay.nextSeq

  #onRequest(request: IncomingMessage, response: ServerResponse): void {
    this.#routes.handle(request, response).catch((error: unknown) => {
      this.#logError(`${request.method} ${request.url}`, error)
      if (!response.headersSent) plainText(response, 500, 'Internal server error.\n')
      else response.destroy()
    })
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    const route = routeUpgrade(request, this.#tuning.allowedHostNames, this.#closing !== null)
    if (!route.ok) return refuseUpgrade(socket, route.status, route.reason)
    const faults = this.#faultsFor(route.url)
    if (!faults.ok) return refuseUpgrade(socket, 400, faults.message)
    const upgrades = route.kind === 'json' ? this.#jsonUpgrades : this.#referenceUpgrades
    upgrades.handleUpgrade(request, socket, head, (ws) => {
      try {
        if (route.kind === 'json') this.#json.accept(ws, request, route.url, faults.spec)
        else this.#websockets.add(ws, 'reference', request, route.url, faults.spec)
      } catch (error) {
        this.#logError(`a WebSocket upgrade to ${route.url.pathname}`, error)
        ws.terminate()
      }
    })
  }
}

function mapDialects<T>(
  sent: ServerStats['sent'],
  pick: (counters: ServerStats['sent'][keyof ServerStats['sent']]) => T
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(sent).map(([dialect, counters]) => [dialect, pick(counters)])
  )
}

const EMPTY_PATHS = Object.fromEntries(
  [...REFERENCE_PATHS.filter((path) => path !== '/websocket'), JSON_STREAM_PATH, SSE_PATH].map(
    (path) => [path, 0]
  )
)

function upgradeServer(maxPayloadBytes: number): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload: maxPayloadBytes,
    // Frames are a few bytes: compression would cost CPU and buy nothing.
    perMessageDeflate: false,
    clientTracking: false
  })
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  // The status line carries the reason only where it is short plain ASCII; the body always does.
  const line = /^[\x20-\x7e]+$/.test(reason) && reason.length <= 60 ? reason : 'Bad Request'
  socket.end(
    `HTTP/1.1 ${status} ${line}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`
  )
}
