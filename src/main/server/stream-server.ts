import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import { parseClientMessage } from '../../shared/protocol/client-message-parser'
import {
  HEALTH_PATH,
  JSON_STREAM_PATH,
  PROTOCOL_VERSION,
  REFERENCE_PATHS,
  SSE_PATH,
  STATUS_PATH,
  type ClientMessage,
  type RequestId,
  type ServerMessage,
  type ServerStatus,
  type StateChange,
  type StreamState
} from '../../shared/protocol/messages'
import type { SampleBatch } from '../sampler/bernoulli-sampler'
import {
  CLOSE_GRACE_MS,
  CloseCode,
  DEFAULT_CONTROL_BURST,
  DEFAULT_CONTROL_RATE_PER_S,
  DEFAULT_JSON_BATCH_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_PEER_TIMEOUT_MS,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_REPLAY_CAPACITY
} from './constants'
import { ReplayBuffer } from './replay-buffer'
import { ReplayPump } from './replay-pump'
import { clampResume, parseResume } from './resume-point'
import { isAllowedControlOrigin, isAllowedHost } from './request-guard'
import { SseChannel } from './sse-channel'
import { encodeReferenceFrames, encodeTextFrame } from './frame-encoder'
import { rawSocketOf } from './raw-socket'
import { samplesPayload } from './samples-payload'
import { serveStaticFile } from './static-files'
import { TokenBucket } from './token-bucket'

/** What the server may ask of the sampler. Setters throw a CodedError on invalid values. */
export interface StreamControls {
  /** The sampler's state; `nextSeq` is the sequence number of the next sample it will draw. */
  state(): StreamState
  samplesDrawn(): number
  start(): void
  stop(): void
  set(change: { p?: number; intervalMs?: number }): void
}

/** Options of {@link StreamServer}. Durations in milliseconds. */
export interface StreamServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  controls: StreamControls
  /** Random id of this run, see `HelloMessage.streamId`. */
  streamId: string
  /** Name and version sent in greetings, e.g. `bernoulli-stream/0.1.0`. */
  serverName: string
  /** Token that control messages must carry; null disables the check. */
  controlToken: string | null
  /** Origins besides the server's own that may steer the stream (e.g. `file://`). Default none. */
  allowedOrigins?: readonly string[]
  /** Host names besides localhost and IP literals accepted in `Host` headers. Default none. */
  allowedHostNames?: readonly string[]
  /** Directory of the built renderer served at `/`. Default: none, a short text page instead. */
  staticDir?: string
  /** Default 10 000. */
  pingIntervalMs?: number
  /** Default 30 000. */
  peerTimeoutMs?: number
  /** Default 10 MiB. */
  maxPayloadBytes?: number
  /** Samples kept for resuming clients. Default 600 000. */
  replayCapacity?: number
  /** Longest time a sample waits to be batched for JSON clients. Default 16. */
  jsonBatchMs?: number
  /** Unsent bytes past which a client is dropped. Default 4 MiB. */
  maxBufferedBytes?: number
  /** Control messages per second per connection. Default 20 (burst 40). */
  controlRatePerS?: number
  controlBurst?: number
}

type ClientKind = 'reference' | 'json'

interface ClientRecord {
  kind: ClientKind
  /** False while a resume is being replayed: live broadcasts skip the client until then. */
  live: boolean
  /** The TCP socket under the WebSocket, for writing pre-encoded broadcast frames. */
  socket: Duplex
  lastSeenMs: number
  lastPingMs: number
  /** Only JSON clients steer; both are set for them. */
  mayControl: boolean
  controlBucket: TokenBucket | null
}

/**
 * One port for everything: the reference dialect (`"0"`/`"1"` text frames on `/websocket/`
 * and `/`), the versioned JSON protocol, Server-Sent Events, `/healthz`, `/status` and the
 * built renderer. Bad input from peers is answered with an error reply or a close code, never
 * thrown; misuse by the caller throws.
 */
export class StreamServer {
  readonly #options: Required<Omit<StreamServerOptions, 'staticDir'>> & {
    staticDir: string | undefined
  }
  readonly #http: Server
  readonly #wss: WebSocketServer
  readonly #clients = new Map<WebSocket, ClientRecord>()
  readonly #replay: ReplayBuffer
  readonly #sse: SseChannel
  #pending: SampleBatch[] = []
  #flushTimer: ReturnType<typeof setTimeout> | null = null
  #heartbeatTimer: ReturnType<typeof setInterval> | null = null
  #deliveries = 0
  #startedAtMs = 0
  #closing: Promise<void> | null = null
  #address: AddressInfo | null = null

  constructor(options: StreamServerOptions) {
    this.#options = {
      allowedOrigins: [],
      allowedHostNames: [],
      pingIntervalMs: DEFAULT_PING_INTERVAL_MS,
      peerTimeoutMs: DEFAULT_PEER_TIMEOUT_MS,
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
      replayCapacity: DEFAULT_REPLAY_CAPACITY,
      jsonBatchMs: DEFAULT_JSON_BATCH_MS,
      maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
      controlRatePerS: DEFAULT_CONTROL_RATE_PER_S,
      controlBurst: DEFAULT_CONTROL_BURST,
      ...withoutUndefined(options),
      host: options.host,
      port: options.port,
      controls: options.controls,
      streamId: options.streamId,
      serverName: options.serverName,
      controlToken: options.controlToken,
      staticDir: options.staticDir
    }
    for (const key of [
      'pingIntervalMs',
      'peerTimeoutMs',
      'maxPayloadBytes',
      'jsonBatchMs',
      'maxBufferedBytes'
    ] as const) {
      if (!(this.#options[key] > 0)) throw new RangeError(`${key} must be positive`)
    }
    this.#replay = new ReplayBuffer(this.#options.replayCapacity)
    this.#sse = new SseChannel({
      replay: this.#replay,
      liveFrom: this.#liveFrom,
      maxBufferedBytes: this.#options.maxBufferedBytes,
      keepAliveMs: this.#options.pingIntervalMs,
      hello: () => this.#hello(),
      onDelivered: (count) => (this.#deliveries += count)
    })
    this.#http = createServer((request, response) => void this.#onRequest(request, response))
    this.#http.on('upgrade', (request, socket, head) => this.#onUpgrade(request, socket, head))
    this.#http.on('connection', (socket: Socket) => socket.setNoDelay(true))
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.#options.maxPayloadBytes,
      // Frames are a few bytes: compression would cost CPU and buy nothing.
      perMessageDeflate: false,
      clientTracking: false
    })
  }

  /**
   * Binds the port. Rejects with a CodedError: `E_PORT_IN_USE` when the port is taken,
   * `E_LISTEN_FAILED` otherwise. Resolves to the bound address (the real port when 0 was asked).
   */
  listen(): Promise<AddressInfo> {
    const { host, port } = this.#options
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
        this.#startedAtMs = Date.now()
        this.#heartbeatTimer = setInterval(this.#sweep, this.#sweepEveryMs())
        resolve(this.#address)
      })
    })
  }

  /** The bound address; throws before `listen()` resolved. */
  get address(): AddressInfo {
    if (!this.#address) throw new Error('StreamServer.address read before listen() resolved')
    return this.#address
  }

  /** Hands newly drawn samples to every client: reference frames now, JSON within `jsonBatchMs`. */
  publishSamples(batch: SampleBatch): void {
    if (this.#closing) return
    this.#replay.append(batch.firstSeq, batch.values, batch.timesMs)
    const frames = encodeReferenceFrames(batch.values)
    for (const [ws, record] of this.#clients) {
      if (record.kind === 'reference') this.#write(ws, record, frames, batch.values.length)
    }
    this.#pending.push(batch)
    if (this.#options.controls.state().intervalMs >= this.#options.jsonBatchMs) this.#flush()
    else this.#flushTimer ??= setTimeout(this.#flush, this.#options.jsonBatchMs)
  }

  /** Tells every JSON and SSE client that p, the interval or the running state changed. */
  publishState(change: StateChange): void {
    if (this.#closing) return
    // Samples drawn before the change go out first, so clients see the change exactly where it happened.
    this.#flush()
    const message = JSON.stringify({
      type: 'state',
      change,
      state: this.#options.controls.state()
    } satisfies ServerMessage)
    this.#broadcastJson(message)
    this.#sse.publish('state', message, null)
  }

  status(): ServerStatus {
    let reference = 0
    let json = 0
    for (const record of this.#clients.values()) {
      if (record.kind === 'reference') reference++
      else json++
    }
    const sse = this.#sse.size
    return {
      protocol: PROTOCOL_VERSION,
      server: this.#options.serverName,
      streamId: this.#options.streamId,
      bindHost: this.#options.host,
      state: this.#options.controls.state(),
      samplesDrawn: this.#options.controls.samplesDrawn(),
      deliveries: this.#deliveries,
      clients: { reference, json, sse, total: reference + json + sse },
      uptimeS: this.#startedAtMs ? (Date.now() - this.#startedAtMs) / 1000 : 0
    }
  }

  /** Closes every client with 1001, stops the timers and releases the port. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown()
    return this.#closing
  }

  async #shutDown(): Promise<void> {
    this.#flush()
    if (this.#flushTimer) clearTimeout(this.#flushTimer)
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer)
    const closed = [...this.#clients.keys()].map(
      (socket) =>
        new Promise<void>((done) => {
          if (socket.readyState === WebSocket.CLOSED) return done()
          socket.once('close', () => done())
          socket.close(CloseCode.GoingAway, 'server shutting down')
          setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref()
        })
    )
    this.#sse.closeAll()
    const httpClosed = new Promise<void>((done) => {
      if (!this.#http.listening) return done()
      this.#http.close(() => done())
    })
    await Promise.all(closed)
    this.#http.closeAllConnections()
    await httpClosed
  }

  #sweepEveryMs(): number {
    return Math.max(5, Math.min(this.#options.pingIntervalMs, this.#options.peerTimeoutMs) / 4)
  }

  // One timer for every peer: pings the ones due and cuts off the ones silent too long.
  #sweep = (): void => {
    const now = Date.now()
    const { peerTimeoutMs, pingIntervalMs } = this.#options
    for (const [socket, record] of this.#clients) {
      if (now - record.lastSeenMs > peerTimeoutMs) {
        socket.terminate()
      } else if (now - record.lastPingMs >= pingIntervalMs) {
        record.lastPingMs = now
        socket.ping()
      }
    }
    this.#sse.keepAlive(now)
  }

  #flush = (): void => {
    if (this.#flushTimer) clearTimeout(this.#flushTimer)
    this.#flushTimer = null
    if (this.#pending.length === 0) return
    const batches = this.#pending
    this.#pending = []
    const first = batches[0]!
    const message =
      batches.length === 1
        ? samplesPayload(first.firstSeq, first.values, first.timesMs)
        : samplesPayload(
            first.firstSeq,
            batches.flatMap((b) => b.values),
            batches.flatMap((b) => b.timesMs)
          )
    this.#broadcastJson(message)
    const last = batches[batches.length - 1]!
    this.#sse.publish('samples', message, last.firstSeq + last.values.length - 1)
  }

  #broadcastJson(message: string): void {
    // Serialised and framed once; the same bytes go to every client.
    const frame = encodeTextFrame(Buffer.from(message))
    for (const [ws, record] of this.#clients) {
      if (record.kind === 'json') this.#write(ws, record, frame, 1)
    }
  }

  /**
   * Writes whole pre-encoded frames straight to the client's socket. Safe beside ws's own
   * sender because compression is off: ws then writes each frame synchronously and whole too,
   * so frames never interleave.
   */
  #write(ws: WebSocket, record: ClientRecord, frames: Buffer, count: number): void {
    if (!record.live || ws.readyState !== WebSocket.OPEN) return
    if (ws.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#dropSlowConsumer(ws)
      return
    }
    record.socket.write(frames)
    this.#deliveries += count
  }

  #dropSlowConsumer(socket: WebSocket): void {
    this.#clients.delete(socket)
    socket.close(CloseCode.SlowConsumer, 'slow consumer: too much unread data; reconnect to resume')
    // Its buffer may never drain, so the close handshake may never finish.
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref()
  }

  #hello(): string {
    return JSON.stringify({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      server: this.#options.serverName,
      streamId: this.#options.streamId,
      state: this.#options.controls.state(),
      controlRequiresToken: this.#options.controlToken !== null,
      bindHost: this.#options.host
    } satisfies ServerMessage)
  }

  async #onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, this.#options.allowedHostNames)) {
      return plain(response, 403, 'Host not allowed: use localhost or an IP address.\n')
    }
    const url = parseRequestUrl(request.url)
    if (!url) return plain(response, 400, 'Bad request URL.\n')
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD')
      return plain(response, 405, 'Only GET and HEAD are supported.\n')
    }
    const path = url.pathname
    if (path === HEALTH_PATH) return plain(response, 200, 'ok\n')
    if (path === STATUS_PATH) {
      const body = JSON.stringify(this.status())
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        // Status is public by design, like the stream itself.
        'Access-Control-Allow-Origin': '*'
      })
      return void response.end(request.method === 'HEAD' ? undefined : body)
    }
    if (path === SSE_PATH) {
      if (this.#closing) return plain(response, 503, 'Server shutting down.\n')
      // As for JSON clients: replay must end exactly where the next live event begins.
      this.#flush()
      return this.#sse.accept(request, response, url)
    }
    if (this.#options.staticDir) {
      let decoded: string
      try {
        decoded = decodeURIComponent(path)
      } catch {
        return plain(response, 400, 'Bad request URL.\n')
      }
      if (await serveStaticFile(this.#options.staticDir, decoded, request, response)) return
    } else if (path === '/') {
      return plain(response, 200, landingText(request.headers.host ?? 'localhost'))
    }
    plain(response, 404, 'Not found.\n')
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    if (this.#closing) return refuseUpgrade(socket, 503, 'Server shutting down')
    if (!isAllowedHost(request.headers.host, this.#options.allowedHostNames)) {
      return refuseUpgrade(socket, 403, 'Host not allowed')
    }
    const url = parseRequestUrl(request.url)
    const kind: ClientKind | null = !url
      ? null
      : REFERENCE_PATHS.includes(url.pathname)
        ? 'reference'
        : url.pathname === JSON_STREAM_PATH
          ? 'json'
          : null
    if (!url || !kind) return refuseUpgrade(socket, 404, 'Not found')
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      if (kind === 'json') this.#acceptJson(ws, request, url)
      else this.#acceptReference(ws)
    })
  }

  #register(ws: WebSocket, kind: ClientKind, mayControl: boolean): ClientRecord {
    const now = Date.now()
    const record: ClientRecord = {
      kind,
      live: true,
      socket: rawSocketOf(ws),
      lastSeenMs: now,
      lastPingMs: now,
      mayControl,
      controlBucket:
        kind === 'json'
          ? new TokenBucket(this.#options.controlRatePerS, this.#options.controlBurst, now)
          : null
    }
    this.#clients.set(ws, record)
    const seen = (): void => {
      record.lastSeenMs = Date.now()
    }
    ws.on('pong', seen)
    ws.on('ping', seen)
    ws.on('close', () => this.#clients.delete(ws))
    // A peer's protocol error (bad frame, oversized message) closes that socket only.
    ws.on('error', () => undefined)
    return record
  }

  #acceptReference(ws: WebSocket): void {
    const record = this.#register(ws, 'reference', false)
    // The reference dialect is one-way; inbound frames only prove the peer is alive.
    ws.on('message', () => {
      record.lastSeenMs = Date.now()
    })
  }

  #acceptJson(ws: WebSocket, request: IncomingMessage, url: URL): void {
    // Everything drawn so far reaches existing clients first; the newcomer's replay then ends
    // exactly where the live stream begins, with no gap and no duplicate.
    this.#flush()
    const mayControl = isAllowedControlOrigin(
      request.headers.origin,
      request.headers.host,
      this.#options.allowedOrigins
    )
    const record = this.#register(ws, 'json', mayControl)
    ws.send(this.#hello())
    const resume = parseResume(url, this.#options.streamId)
    if (!resume.ok)
      this.#reply(ws, {
        type: 'error',
        code: ErrorCode.BadMessage,
        message: resume.message,
        id: null
      })
    else if (resume.afterSeq !== null) this.#replayTo(ws, record, resume.afterSeq)
    ws.on('message', (data: RawData, isBinary: boolean) => {
      record.lastSeenMs = Date.now()
      this.#onJsonMessage(ws, record, data, isBinary)
    })
  }

  #replayTo(ws: WebSocket, record: ClientRecord, afterSeq: number): void {
    const fromSeq = clampResume(afterSeq, this.#replay.nextSeq) + 1
    record.live = false
    const pump = new ReplayPump(
      this.#replay,
      fromSeq,
      this.#liveFrom,
      {
        sendSamples: (chunk) => {
          record.socket.write(
            encodeTextFrame(
              Buffer.from(samplesPayload(chunk.firstSeq, chunk.values, chunk.timesMs))
            )
          )
          this.#deliveries++
        },
        sendGap: (from, to) => this.#reply(ws, { type: 'gap', from, to }),
        bufferedBytes: () => ws.bufferedAmount,
        onDrain: (resume) => record.socket.once('drain', resume),
        isOpen: () => ws.readyState === WebSocket.OPEN && this.#clients.has(ws),
        goLive: () => {
          record.live = true
        }
      },
      this.#options.maxBufferedBytes / 4
    )
    pump.pump()
  }

  /** Sequence number the next live JSON or SSE broadcast starts with (samples not yet flushed). */
  #liveFrom = (): number => this.#pending[0]?.firstSeq ?? this.#replay.nextSeq

  #onJsonMessage(ws: WebSocket, record: ClientRecord, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      return this.#replyError(
        ws,
        ErrorCode.BinaryNotSupported,
        'the JSON protocol takes text frames only',
        null
      )
    }
    const parsed = parseClientMessage(rawToString(data))
    if (!parsed.ok) return this.#replyError(ws, parsed.code, parsed.message, parsed.id)
    const message = parsed.message
    if (this.#closing) {
      return this.#replyError(ws, ErrorCode.ServerClosed, 'the server is shutting down', message.id)
    }
    if (!record.controlBucket!.tryTake(Date.now())) {
      return this.#replyError(
        ws,
        ErrorCode.RateLimited,
        'too many control messages; slow down',
        message.id
      )
    }
    if (!record.mayControl) {
      return this.#replyError(
        ws,
        ErrorCode.ForbiddenOrigin,
        'this page’s origin may read the stream but not steer it',
        message.id
      )
    }
    const { controlToken } = this.#options
    if (controlToken !== null && message.token !== controlToken) {
      return this.#replyError(
        ws,
        ErrorCode.Unauthorized,
        'control messages need the token this server printed at start',
        message.id
      )
    }
    try {
      applyControl(this.#options.controls, message)
    } catch (error) {
      if (error instanceof CodedError)
        return this.#replyError(ws, error.code, error.message, message.id)
      throw error
    }
    this.#reply(ws, { type: 'ack', id: message.id, state: this.#options.controls.state() })
  }

  #replyError(ws: WebSocket, code: ErrorCode, message: string, id: RequestId | null): void {
    this.#reply(ws, { type: 'error', code, message, id })
  }

  #reply(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
  }
}

function applyControl(controls: StreamControls, message: ClientMessage): void {
  switch (message.type) {
    case 'start':
      return controls.start()
    case 'stop':
      return controls.stop()
    case 'set': {
      const change: { p?: number; intervalMs?: number } = {}
      if (message.p !== undefined) change.p = message.p
      if (message.intervalMs !== undefined) change.intervalMs = message.intervalMs
      return controls.set(change)
    }
  }
}

// An option passed as undefined means "the default", not "undefined".
function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined)
  ) as Partial<T>
}

function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://localhost')
  } catch {
    return null
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function plain(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store'
  })
  response.end(body)
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`
  )
}

function landingText(host: string): string {
  return [
    'Bernoulli Stream',
    '',
    `Reference dialect (one "0"/"1" text frame per sample): ws://${host}/websocket/  (also ws://${host}/)`,
    `JSON protocol v${PROTOCOL_VERSION}: ws://${host}${JSON_STREAM_PATH}`,
    `Server-Sent Events: http://${host}${SSE_PATH}`,
    `Status: http://${host}${STATUS_PATH}   Health: http://${host}${HEALTH_PATH}`,
    ''
  ].join('\n')
}
