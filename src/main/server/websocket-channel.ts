import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket } from 'ws'
import type { Clock } from '../../shared/clock'
import { FaultOutbox } from '../faults/fault-outbox'
import { FaultPlan } from '../faults/fault-plan'
import type { FaultSpec } from '../faults/fault-spec'
import { CLOSE_GRACE_MS, CloseCode, SHUTDOWN_SETTLE_MS } from './constants'
import type { Delivery } from './delivery'
import { rawSocketOf } from './raw-socket'
import type { ReplayConnection } from './replay-pump'
import type { SentCounters, ServerStats } from './server-stats'

/** The two WebSocket dialects: reference (`"0"`/`"1"` frames) and the JSON protocol. */
export type WebSocketKind = 'reference' | 'json'

/** One WebSocket client. Pre-framed bytes go straight to its TCP socket (see {@link write}). */
export class WebSocketConnection implements ReplayConnection {
  live = true
  /** The faults this connection asked for; null (the fast path) when none. */
  faults: FaultOutbox | null = null
  lastSeenMs: number
  lastPingMs: number
  readonly remoteAddress: string
  readonly #socket: Duplex
  readonly #forget: (connection: WebSocketConnection) => void

  /** @param forget takes the connection out of its registry (a dropped client no longer counts). */
  constructor(
    readonly ws: WebSocket,
    readonly kind: WebSocketKind,
    readonly path: string,
    readonly query: URLSearchParams,
    readonly sent: SentCounters,
    request: IncomingMessage,
    nowMs: number,
    forget: (connection: WebSocketConnection) => void
  ) {
    this.#socket = rawSocketOf(ws)
    this.#forget = forget
    this.remoteAddress = request.socket.remoteAddress ?? ''
    this.lastSeenMs = nowMs
    this.lastPingMs = nowMs
  }

  isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount
  }

  /**
   * Writes whole pre-encoded frames straight to the TCP socket. Safe beside ws's own sender
   * because compression is off: ws then writes each frame synchronously and whole too, so
   * frames never interleave.
   */
  write(chunk: Buffer): void {
    this.#socket.write(chunk)
  }

  onDrain(resume: () => void): void {
    this.#socket.once('drain', resume)
  }

  dropSlow(): void {
    this.#forget(this)
    this.closeWithin(
      CloseCode.SlowConsumer,
      'slow consumer: too much unread data; reconnect to resume'
    )
  }

  /** Starts the close handshake; cuts the connection if it has not finished within the grace time. */
  closeWithin(code: CloseCode, reason: string): void {
    this.ws.close(code, reason)
    // Its buffer may never drain, so the close handshake may never finish.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref()
  }
}

/** Options of {@link WebSocketChannel}. */
export interface WebSocketChannelOptions {
  clock: Clock
  delivery: Delivery
  stats: ServerStats
  /** Time between pings to each client, ms. */
  pingIntervalMs: number
  /** A client silent (no pong, no frame) for longer than this is terminated, ms. */
  peerTimeoutMs: number
}

/**
 * Every WebSocket client, by dialect: registers and forgets them, broadcasts pre-framed bytes
 * to the live ones through {@link Delivery}, and keeps the heartbeat (ping the due, cut off the
 * silent). What a dialect says lives with its endpoint; this is the transport.
 */
export class WebSocketChannel {
  readonly #options: WebSocketChannelOptions
  readonly #byKind: Record<WebSocketKind, Set<WebSocketConnection>> = {
    reference: new Set(),
    json: new Set()
  }

  constructor(options: WebSocketChannelOptions) {
    this.#options = options
  }

  /** Number of open clients of one dialect. */
  size(kind: WebSocketKind): number {
    return this.#byKind[kind].size
  }

  /** Clients of one dialect still being replayed what they missed. */
  replaying(kind: WebSocketKind): number {
    let count = 0
    for (const connection of this.#byKind[kind]) if (!connection.live) count++
    return count
  }

  /**
   * Registers an upgraded socket. Pongs, pings and inbound frames (see
   * {@link WebSocketConnection.lastSeenMs}) keep it alive; it is forgotten when it closes.
   */
  add(
    ws: WebSocket,
    kind: WebSocketKind,
    request: IncomingMessage,
    url: URL,
    faults: FaultSpec | null = null
  ): WebSocketConnection {
    const { clock, stats } = this.#options
    const clients = this.#byKind[kind]
    const forget = (connection: WebSocketConnection): void => {
      if (clients.delete(connection)) stats.connectionClosed(connection.path)
    }
    const connection = new WebSocketConnection(
      ws,
      kind,
      url.pathname,
      url.searchParams,
      stats.sent[kind],
      request,
      clock.monotonicMs(),
      forget
    )
    if (faults) {
      const plan = new FaultPlan(faults, clock.monotonicMs(), (kind, count) =>
        stats.faultApplied(kind, count)
      )
      connection.faults = new FaultOutbox(
        plan,
        clock,
        {
          write: (bytes, frames) => void this.#options.delivery.send(connection, bytes, frames),
          // Abrupt: no close frame, the TCP connection just goes.
          cut: () => ws.terminate(),
          // Inbound frames, pings included, stay unread: the peer's pings go unanswered.
          stall: () => ws.pause()
        },
        kind === 'reference'
      )
      ws.once('close', () => connection.faults?.close())
    }
    clients.add(connection)
    stats.connectionOpened(connection.path)
    const seen = (): void => {
      connection.lastSeenMs = clock.monotonicMs()
    }
    ws.on('pong', seen)
    ws.on('ping', seen)
    ws.on('message', seen)
    ws.on('close', () => forget(connection))
    // A peer's protocol error (bad frame, oversized message) closes that socket only.
    ws.on('error', () => undefined)
    return connection
  }

  /**
   * Writes `chunk` (holding `frames` frames) to every live client of `kind`; a client with
   * faults gets it in its place behind what its faults hold back.
   */
  broadcast(kind: WebSocketKind, chunk: Buffer, frames: number): void {
    const { delivery } = this.#options
    for (const connection of this.#byKind[kind]) {
      if (!connection.live) continue
      const faults = connection.faults
      if (faults === null) delivery.send(connection, chunk, frames)
      else if (delivery.admit(connection, faults.heldBytes)) faults.sendMessage(chunk)
    }
  }

  /**
   * Writes samples `firstSeq…` (count of them), pre-framed once as `chunk`, to every live
   * client of `kind`. A client with faults gets what its faults decide instead, framed by
   * `encodeRun(start, end)` (the samples with indices in [start, end)); the others share `chunk`.
   */
  broadcastSamples(
    kind: WebSocketKind,
    firstSeq: number,
    count: number,
    chunk: Buffer,
    frames: number,
    encodeRun: (start: number, end: number) => Buffer
  ): void {
    const { delivery } = this.#options
    for (const connection of this.#byKind[kind]) {
      if (!connection.live) continue
      const faults = connection.faults
      if (faults === null) delivery.send(connection, chunk, frames)
      // What its faults hold back counts toward its limit like its socket's buffer.
      else if (delivery.admit(connection, faults.heldBytes))
        faults.sendSamples(firstSeq, count, encodeRun)
    }
  }

  /** Pings the clients that are due and terminates the ones silent past the peer timeout. */
  sweep(nowMs: number): void {
    const { peerTimeoutMs, pingIntervalMs } = this.#options
    for (const clients of Object.values(this.#byKind)) {
      for (const connection of clients) {
        if (nowMs - connection.lastSeenMs > peerTimeoutMs) {
          connection.ws.terminate()
        } else if (connection.faults?.stalled) {
          // A stalled connection sends nothing, pings included (the peer must notice).
        } else if (nowMs - connection.lastPingMs >= pingIntervalMs) {
          connection.lastPingMs = nowMs
          connection.ws.ping()
        }
      }
    }
  }

  /**
   * Closes every client with 1001; resolves once all are closed (cut off after the grace time).
   * First it pings every client and waits for the pongs (at most {@link SHUTDOWN_SETTLE_MS}):
   * a pong comes after the client has read what was sent before the ping, and after the server
   * has read what the client sent before it, so every sample drawn reaches a reading client and
   * every message in flight is answered (control with `E_SERVER_CLOSED`) before the close.
   */
  async closeAll(): Promise<void> {
    const all = [...this.#byKind.reference, ...this.#byKind.json]
    await settle(all)
    await Promise.all(
      all.map(
        (connection) =>
          new Promise<void>((done) => {
            const { ws } = connection
            if (ws.readyState === WebSocket.CLOSED) return done()
            ws.once('close', () => done())
            connection.closeWithin(CloseCode.GoingAway, 'server shutting down')
          })
      )
    )
  }
}

function settle(connections: readonly WebSocketConnection[]): Promise<void> {
  const open = connections.filter((connection) => connection.isOpen())
  if (open.length === 0) return Promise.resolve()
  return new Promise((done) => {
    const pending = new Map<WebSocket, () => void>()
    const finish = (): void => {
      clearTimeout(timer)
      for (const [ws, answered] of pending) {
        ws.off('pong', answered)
        ws.off('close', answered)
      }
      done()
    }
    const timer = setTimeout(finish, SHUTDOWN_SETTLE_MS)
    for (const { ws } of open) {
      const answered = (): void => {
        ws.off('pong', answered)
        ws.off('close', answered)
        pending.delete(ws)
        if (pending.size === 0) finish()
      }
      pending.set(ws, answered)
      ws.on('pong', answered)
      ws.on('close', answered)
      ws.ping()
    }
  })
}
