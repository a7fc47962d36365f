import type { IncomingMessage } from 'node:http'
import type { RawData, WebSocket } from 'ws'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import { parseClientMessage } from '../../shared/protocol/client-message-parser'
import type { ClientMessage, RequestId, ServerMessage } from '../../shared/protocol/messages'
import type { Clock } from '../../shared/clock'
import type { FaultSpec } from '../faults/fault-spec'
import { controlGate, type ControlPeer } from './control-gate'
import type { Delivery, Framer } from './delivery'
import type { FailedControlLimiter } from './failed-control-limiter'
import { encodeJsonFrame } from './frame-encoder'
import { isAllowedControlOrigin } from './request-guard'
import { startReplay, type ReplaySource } from './replay-pump'
import { parseResume, replayFrom } from './resume-point'
import type { ServerStats } from './server-stats'
import type { StreamControls } from './stream-controls'
import { TokenBucket } from './token-bucket'
import type { WebSocketChannel, WebSocketConnection } from './websocket-channel'

/** Options of {@link JsonEndpoint}. */
export interface JsonEndpointOptions {
  clock: Clock
  channel: WebSocketChannel
  delivery: Delivery
  stats: ServerStats
  controls: StreamControls
  /** What resuming clients are replayed from. */
  history: ReplaySource
  /** Sends the samples still waiting to be batched, so that what follows comes after them. */
  flush: () => void
  streamId: string
  controlToken: string | null
  allowedOrigins: readonly string[]
  controlRatePerS: number
  controlBurst: number
  errorReplyRatePerS: number
  errorReplyBurst: number
  /** Failed control attempts across connections (one per server). */
  failures: FailedControlLimiter
  isClosing: () => boolean
  /** The JSON `hello` message, sent first on every connection (with its faults, if any). */
  hello: (faults: FaultSpec | null) => string
  /** Reports a bug met while answering a message (the peer gets `E_INTERNAL`). */
  logError: (context: string, error: unknown) => void
}

/** A JSON-protocol client: its transport and what the control gate knows of it. */
interface JsonPeer extends ControlPeer {
  readonly connection: WebSocketConnection
  /** Its allowance of error replies. */
  readonly errorReplies: TokenBucket
  /** True once it was told its error replies are paused, until one goes out again. */
  repliesPaused: boolean
}

/**
 * The JSON protocol on `/v1/stream`: greets, resumes, and answers control messages. Every
 * inbound frame is parsed, judged by the control gate, applied, and answered with an `ack` or
 * an `error` carrying a stable code. Bad input is answered, never thrown.
 */
export class JsonEndpoint {
  readonly #options: JsonEndpointOptions

  constructor(options: JsonEndpointOptions) {
    this.#options = options
  }

  accept(ws: WebSocket, request: IncomingMessage, url: URL, faults: FaultSpec | null = null): void {
    const { channel, clock, flush, streamId, allowedOrigins } = this.#options
    // Everything drawn so far reaches existing clients first; the newcomer's replay then ends
    // exactly where the live stream begins, with no gap and no duplicate.
    flush()
    const connection = channel.add(ws, 'json', request, url, faults)
    const peer: JsonPeer = {
      connection,
      remoteAddress: connection.remoteAddress,
      provedToken: false,
      originAllowed: isAllowedControlOrigin(
        request.headers.origin,
        request.headers.host,
        allowedOrigins
      ),
      controlBucket: new TokenBucket(
        this.#options.controlRatePerS,
        this.#options.controlBurst,
        clock.monotonicMs()
      ),
      errorReplies: new TokenBucket(
        this.#options.errorReplyRatePerS,
        this.#options.errorReplyBurst,
        clock.monotonicMs()
      ),
      repliesPaused: false
    }
    this.#send(connection, this.#options.hello(faults))
    const resume = parseResume(
      { after: url.searchParams.get('after'), stream: url.searchParams.get('stream') },
      streamId
    )
    if (!resume.ok) this.#reply(peer, errorReply(ErrorCode.BadMessage, resume.message, null))
    else if (resume.afterSeq !== null) this.#replay(peer, resume.afterSeq)
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(peer, data, isBinary))
  }

  #replay(peer: JsonPeer, afterSeq: number): void {
    const { history } = this.#options
    const fromSeq = replayFrom(afterSeq, history.buffer.nextSeq)
    startReplay(peer.connection, fromSeq, frameJson, history)
  }

  #onMessage(peer: JsonPeer, data: RawData, isBinary: boolean): void {
    let answer: ServerMessage
    try {
      answer = this.#answer(peer, data, isBinary)
    } catch (error) {
      this.#options.logError('a JSON-protocol message', error)
      answer = {
        type: 'error',
        code: ErrorCode.Internal,
        message: 'the server failed on this message; it was logged',
        id: null
      }
    }
    this.#options.stats.controlEnded(answer.type === 'error' ? answer.code : 'ack')
    if (answer.type !== 'error') return this.#reply(peer, answer)
    if (peer.errorReplies.tryTake(this.#options.clock.monotonicMs())) {
      peer.repliesPaused = false
      this.#reply(peer, answer)
    } else if (!peer.repliesPaused) {
      peer.repliesPaused = true
      this.#reply(peer, errorReply(ErrorCode.RateLimited, REPLIES_PAUSED, null))
    }
  }

  /** The reply an inbound frame gets, after acting on it if the gate lets it through. */
  #answer(peer: JsonPeer, data: RawData, isBinary: boolean): ServerMessage {
    if (isBinary) {
      return errorReply(
        ErrorCode.BinaryNotSupported,
        'the JSON protocol takes text frames only',
        null
      )
    }
    const parsed = parseClientMessage(rawToString(data))
    if (!parsed.ok) return errorReply(parsed.code, parsed.message, parsed.id)
    const { clock, controlToken, isClosing, controls, failures } = this.#options
    const verdict = controlGate(peer, parsed.message, clock.monotonicMs(), {
      controlToken,
      closing: isClosing(),
      failures
    })
    if (!verdict.ok) return errorReply(verdict.code, verdict.message, verdict.id)
    const message = verdict.message
    try {
      applyControl(controls, message)
    } catch (error) {
      if (error instanceof CodedError) return errorReply(error.code, error.message, message.id)
      throw error
    }
    // What the message drew (step mode) goes out before its ack.
    this.#options.flush()
    return { type: 'ack', id: message.id, state: controls.state() }
  }

  /**
   * Replies go through the same backpressure as broadcasts (a peer that never reads is dropped)
   * and, on a connection with faults, take their place behind what its delays hold back: a
   * `draw`'s ack still follows the samples it drew.
   */
  #reply(peer: JsonPeer, message: ServerMessage): void {
    const { connection } = peer
    const faults = connection.faults
    if (faults === null) return this.#send(connection, JSON.stringify(message))
    if (this.#options.delivery.admit(connection, faults.heldBytes)) {
      faults.sendMessage(encodeJsonFrame(JSON.stringify(message)))
    }
  }

  #send(connection: WebSocketConnection, json: string): void {
    this.#options.delivery.send(connection, encodeJsonFrame(json), 1)
  }
}

/** On WebSocket every message is one text frame of its JSON. */
const frameJson: Framer = (_event, json) => encodeJsonFrame(json)

const REPLIES_PAUSED =
  'too many bad messages: error replies on this connection are paused until it slows down'

function errorReply(code: ErrorCode, message: string, id: RequestId | null): ServerMessage {
  return { type: 'error', code, message, id }
}

/** Acts on a message the gate let through; throws a CodedError when the stream refuses it. */
function applyControl(controls: StreamControls, message: ClientMessage): void {
  switch (message.type) {
    case 'start':
      return controls.start()
    case 'stop':
      return controls.stop()
    case 'reseed':
      return controls.reseed(message.seed)
    case 'set': {
      const change: { p?: number; intervalMs?: number } = {}
      if (message.p !== undefined) change.p = message.p
      if (message.intervalMs !== undefined) change.intervalMs = message.intervalMs
      return controls.set(change)
    }
    case 'draw':
      return controls.draw(message.count)
    case 'auth':
      // Changes nothing: the ack alone says that this connection with this token may steer.
      return
    default:
      return message satisfies never
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
