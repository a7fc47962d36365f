/**
 * The page's connection to the stream: connects (and reconnects with backoff) to the JSON
 * protocol, accounts for every sample exactly once across reconnections, reports gaps, feeds the
 * posterior, and carries control requests (over the socket in a browser, over the preload bridge
 * in Electron). The only module that talks to the network.
 */
import { ErrorCode } from '../../../shared/error-codes'
import {
  isLoopbackHost,
  type ClientMessage,
  type ServerMessage,
  type StreamState
} from '../../../shared/protocol/messages'
import { parseServerMessage } from '../../../shared/protocol/server-message-parser'
import { checkIntervalMs, checkP } from '../../../shared/sampler-settings'
import { backoffDelayMs, type BackoffOptions } from '../lib/backoff'
import { resolveConnectionTarget, resumeUrl, type ConnectionTarget } from '../lib/connection-target'
import { takeTokenFromFragment } from '../lib/fragment-token'
import { SequenceTracker, type SeqGap } from '../lib/sequence-tracker'
import { browserSocketFactory, type SocketFactory, type SocketHandle } from '../lib/socket'
import { posterior, type StreamEvent } from './posterior.svelte'

/** What the connection indicator shows. */
export type ConnectionStatus =
  /** Opening a socket, or open and waiting for the server's hello. */
  | { kind: 'connecting' }
  /** Connected and the sampler is running. */
  | { kind: 'live' }
  /** Connected; the server says the sampler is stopped (running = false). */
  | { kind: 'stopped' }
  /** Disconnected; the next attempt starts in `seconds` (rounded up). */
  | { kind: 'reconnecting'; seconds: number }
  /** {@link StreamClient.disconnect} was called. */
  | { kind: 'offline' }

/** The latest gap, for the notice. */
export interface GapNotice {
  /** First lost sequence number of the latest gap. */
  from: number
  /** Last lost sequence number of the latest gap. */
  to: number
  /** Gaps since the page loaded. */
  gaps: number
  /** Samples lost since the page loaded. */
  lost: number
}

/** Where the posterior hears about samples and events. */
export interface StreamObserver {
  addSamples(values: ArrayLike<0 | 1>, times: ArrayLike<number>, from?: number): void
  markEvent(event: StreamEvent): void
}

/** Timers and clock, injected so tests run on fake time. Handles are opaque. */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  /** Epoch ms. */
  now(): number
}

/** Everything {@link StreamClient} needs from the outside. */
export interface StreamClientDeps {
  /** Called before every connection attempt (the server's port may change between runs). */
  resolveTarget: () => Promise<ConnectionTarget>
  openSocket: SocketFactory
  clock: Clock
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number
  observer: StreamObserver
  /** Default 250 ms doubling to 10 s with 50 % jitter. */
  backoff?: BackoffOptions
  /** How long a control request may wait for its ack, ms. Default 5000. */
  requestTimeoutMs?: number
  /** How long a connection may take to deliver its hello, ms. Default 10000. */
  helloTimeoutMs?: number
}

/** A control request the server (or main) refused; `code` is an {@link ErrorCode} or a local one. */
export class ControlError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'ControlError'
  }
}

type Phase = 'idle' | 'connecting' | 'open' | 'waiting' | 'offline'

interface PendingRequest {
  resolve: (state: StreamState) => void
  reject: (error: ControlError) => void
  timer: unknown
}

type ControlBody =
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'set'; p: number }
  | { type: 'set'; intervalMs: number }

// Close code for a connection we give up on ourselves (no hello in time); 4000–4999 are private.
const CLOSE_HELLO_TIMEOUT = 4000
const COUNTDOWN_TICK_MS = 250

/** Client of the JSON stream. One instance per page: {@link stream}. */
export class StreamClient {
  #phase = $state<Phase>('idle')
  #helloSeen = $state(false)
  #serverState = $state.raw<StreamState | null>(null)
  #serverName = $state<string | null>(null)
  #streamId: string | null = null
  #controlRequiresToken = $state(false)
  #bindHost = $state<string | null>(null)
  #target = $state.raw<ConnectionTarget | null>(null)
  #retryAt = $state(0)
  #clockNow = $state(0)
  #tokenRejected = $state(false)
  #controlError = $state<string | null>(null)
  #gapNotice = $state.raw<GapNotice | null>(null)
  #malformedFrames = $state(0)

  readonly #deps: StreamClientDeps
  readonly #tracker = new SequenceTracker()
  // Bookkeeping, never rendered: a plain Map on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #pending = new Map<number, PendingRequest>()
  #socket: SocketHandle | null = null
  #generation = 0
  #attempt = 0
  #nextRequestId = 1
  #retryTimer: unknown = null
  #tickTimer: unknown = null
  #helloTimer: unknown = null
  #gaps = 0
  #lost = 0

  constructor(deps: StreamClientDeps) {
    this.#deps = deps
  }

  /** Connection indicator state. */
  get status(): ConnectionStatus {
    switch (this.#phase) {
      case 'idle':
      case 'connecting':
        return { kind: 'connecting' }
      case 'open':
        if (!this.#helloSeen || !this.#serverState) return { kind: 'connecting' }
        return { kind: this.#serverState.running ? 'live' : 'stopped' }
      case 'waiting':
        return {
          kind: 'reconnecting',
          seconds: Math.max(0, Math.ceil((this.#retryAt - this.#clockNow) / 1000))
        }
      case 'offline':
        return { kind: 'offline' }
    }
  }

  /** The stream's state as last reported by the server (hello, state or ack); null before. */
  get serverState(): StreamState | null {
    return this.#serverState
  }

  /** `bernoulli-stream/<version>` from the hello; null before. */
  get serverName(): string | null {
    return this.#serverName
  }

  /** Address the server is bound to (from its hello); null before the first hello. */
  get bindHost(): string | null {
    return this.#bindHost
  }

  /** True when the server is bound beyond loopback, so the stream is reachable from the network. */
  get exposedToNetwork(): boolean {
    return this.#bindHost !== null && !isLoopbackHost(this.#bindHost)
  }

  /** The control token this page steers with, to show to the user for their own scripts. */
  get controlToken(): string | null {
    return this.#target?.token ?? null
  }

  /** The resolved target (URLs, bridge); null before the first attempt resolved it. */
  get target(): ConnectionTarget | null {
    return this.#target
  }

  /** Last sequence number accounted for (received or lost); what `?after=` resumes from. */
  get lastSeq(): number {
    return this.#tracker.last
  }

  /** Latest gap with running totals; null when there was none (or it was dismissed). */
  get gapNotice(): GapNotice | null {
    return this.#gapNotice
  }

  /** Frames that failed to parse (ignored); non-zero means a server/client mismatch. */
  get malformedFrames(): number {
    return this.#malformedFrames
  }

  /** The last control failure as a sentence for people; null after a success. */
  get controlError(): string | null {
    return this.#controlError
  }

  /**
   * Why the controls are read-only, as a sentence for people; null when control is possible or
   * merely waiting for the connection.
   */
  get readOnlyReason(): string | null {
    const target = this.#target
    if (!target || target.bridge) return null
    if (this.#tokenRejected) {
      return 'The server refused this page’s control token (a new token is made every time the server starts). Open the address the server printed most recently to control the stream.'
    }
    if (this.#helloSeen && this.#controlRequiresToken && !target.token) {
      return 'This page was opened without the control token, so it can watch but not steer. Open the address the server printed (it ends in #token=…) to control the stream.'
    }
    return null
  }

  /** True when start/stop/set requests can be made now. */
  get canControl(): boolean {
    const target = this.#target
    if (!target) return false
    if (target.bridge) return true
    return this.#phase === 'open' && this.#helloSeen && this.readOnlyReason === null
  }

  /** Starts connecting (idempotent). */
  connect(): void {
    if (this.#phase !== 'idle' && this.#phase !== 'offline') return
    void this.#open()
  }

  /** Skips the rest of the backoff wait and reconnects now. */
  retryNow(): void {
    if (this.#phase !== 'waiting') return
    this.#clearTimer('retry')
    this.#clearTimer('tick')
    void this.#open()
  }

  /** Closes the connection and stops reconnecting (idempotent). */
  disconnect(): void {
    this.#phase = 'offline'
    this.#generation++
    this.#clearTimer('retry')
    this.#clearTimer('tick')
    this.#clearTimer('hello')
    this.#socket?.close(1000, 'client closing')
    this.#socket = null
    this.#helloSeen = false
    this.#rejectAll('disconnected')
  }

  /** Hides the gap notice until the next gap. */
  dismissGapNotice(): void {
    this.#gapNotice = null
  }

  /** Starts the sampler. Rejects with a {@link ControlError}. */
  start(): Promise<StreamState> {
    return this.#control({ type: 'start' }, (bridge) => bridge.start())
  }

  /** Stops the sampler. Rejects with a {@link ControlError}. */
  stop(): Promise<StreamState> {
    return this.#control({ type: 'stop' }, (bridge) => bridge.stop())
  }

  /**
   * Sets the probability of a 1.
   * @param p in [0, 1].
   * @throws RangeError synchronously for an invalid p (the controls validate first).
   */
  setP(p: number): Promise<StreamState> {
    if (!checkP(p).ok) throw new RangeError(`p must be in [0, 1], got ${p}`)
    return this.#control({ type: 'set', p }, (bridge) => bridge.setP(p))
  }

  /**
   * Sets the interval between samples.
   * @param intervalMs milliseconds in [1, 60000].
   * @throws RangeError synchronously for an invalid interval (the controls validate first).
   */
  setIntervalMs(intervalMs: number): Promise<StreamState> {
    if (!checkIntervalMs(intervalMs).ok)
      throw new RangeError(`intervalMs must be in [1, 60000], got ${intervalMs}`)
    return this.#control({ type: 'set', intervalMs }, (bridge) => bridge.setIntervalMs(intervalMs))
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation
    this.#phase = 'connecting'
    this.#helloSeen = false
    let target: ConnectionTarget
    try {
      target = await this.#deps.resolveTarget()
    } catch {
      if (generation === this.#generation) this.#scheduleRetry()
      return
    }
    if (generation !== this.#generation) return
    this.#target = target
    const after = this.#tracker.hasBaseline ? this.#tracker.last : null
    const live = (): boolean => generation === this.#generation
    try {
      this.#socket = this.#deps.openSocket(resumeUrl(target.jsonStreamUrl, after, this.#streamId), {
        open: () => {
          if (live()) this.#phase = 'open'
        },
        message: (data) => {
          if (live()) this.#receive(data)
        },
        close: () => {
          if (live()) this.#onConnectionLost()
        }
      })
    } catch {
      // A malformed URL from the target, or a policy refusing the socket: retry like a failure.
      this.#scheduleRetry()
      return
    }
    this.#helloTimer = this.#deps.clock.setTimeout(() => {
      this.#helloTimer = null
      if (live() && !this.#helloSeen) this.#socket?.close(CLOSE_HELLO_TIMEOUT, 'no hello in time')
    }, this.#deps.helloTimeoutMs ?? 10_000)
  }

  #onConnectionLost(): void {
    this.#generation++
    this.#socket = null
    this.#helloSeen = false
    this.#clearTimer('hello')
    this.#rejectAll('connection lost')
    this.#scheduleRetry()
  }

  #scheduleRetry(): void {
    const { clock } = this.#deps
    const delay = backoffDelayMs(this.#attempt, this.#deps.random(), this.#deps.backoff)
    this.#attempt++
    this.#phase = 'waiting'
    this.#clockNow = clock.now()
    this.#retryAt = this.#clockNow + delay
    this.#retryTimer = clock.setTimeout(() => {
      this.#retryTimer = null
      this.#clearTimer('tick')
      void this.#open()
    }, delay)
    this.#tick()
  }

  // Keeps the countdown moving while waiting.
  #tick(): void {
    this.#clockNow = this.#deps.clock.now()
    if (this.#phase !== 'waiting') return
    this.#tickTimer = this.#deps.clock.setTimeout(() => {
      this.#tickTimer = null
      this.#tick()
    }, COUNTDOWN_TICK_MS)
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.#malformedFrames++
      return
    }
    const parsed = parseServerMessage(data)
    if (!parsed.ok) {
      this.#malformedFrames++
      return
    }
    this.#handle(parsed.message)
  }

  #handle(message: ServerMessage): void {
    const { observer } = this.#deps
    switch (message.type) {
      case 'hello': {
        this.#clearTimer('hello')
        this.#attempt = 0
        this.#helloSeen = true
        this.#serverName = message.server
        this.#controlRequiresToken = message.controlRequiresToken
        this.#bindHost = message.bindHost
        if (!this.#tracker.hasBaseline) {
          // Count from now on: samples drawn before the page connected are not "lost".
          // nextSeq is the first live sample; the server replays nothing without ?after=.
          this.#tracker.rebase(message.state.nextSeq - 1)
        } else if (message.streamId !== this.#streamId) {
          // A new server run numbers from 1 again, and replays its run from the start.
          this.#tracker.rebase(0)
          observer.markEvent({ kind: 'restart' })
        }
        this.#streamId = message.streamId
        this.#applyState(message.state)
        break
      }
      case 'samples': {
        const verdict = this.#tracker.accept(message.seq, message.values.length)
        if (verdict.gap) this.#noteGap(verdict.gap, false)
        if (verdict.skip < message.values.length)
          observer.addSamples(message.values, message.times, verdict.skip)
        break
      }
      case 'gap': {
        const gap = this.#tracker.declareLost(message.from, message.to)
        if (gap) this.#noteGap(gap, true)
        break
      }
      case 'state':
        this.#applyState(message.state)
        break
      case 'ack':
        this.#applyState(message.state)
        if (typeof message.id === 'number') this.#settle(message.id, message.state, null)
        break
      case 'error': {
        if (message.code === ErrorCode.Unauthorized) this.#tokenRejected = true
        const error = new ControlError(message.code, message.message)
        if (typeof message.id === 'number' && this.#pending.has(message.id))
          this.#settle(message.id, null, error)
        else this.#controlError = `${message.message} (${message.code})`
        break
      }
    }
  }

  // Changes are marked here, from the socket only: it orders them among the samples, so each
  // mark lands at the sample count where it took effect. Diffing makes ack + state idempotent.
  #applyState(next: StreamState): void {
    const previous = this.#serverState
    this.#serverState = next
    const { observer } = this.#deps
    if (previous === null) {
      observer.markEvent({ kind: 'p', p: next.p })
      return
    }
    if (next.p !== previous.p) observer.markEvent({ kind: 'p', p: next.p })
    if (next.intervalMs !== previous.intervalMs)
      observer.markEvent({ kind: 'interval', intervalMs: next.intervalMs })
    if (next.running !== previous.running)
      observer.markEvent({ kind: 'running', running: next.running })
  }

  #noteGap(gap: SeqGap, announced: boolean): void {
    this.#gaps++
    this.#lost += gap.to - gap.from + 1
    this.#gapNotice = { from: gap.from, to: gap.to, gaps: this.#gaps, lost: this.#lost }
    this.#deps.observer.markEvent({ kind: 'gap', from: gap.from, to: gap.to, announced })
  }

  async #control(
    body: ControlBody,
    viaBridge: (bridge: NonNullable<ConnectionTarget['bridge']>) => Promise<StreamState>
  ): Promise<StreamState> {
    const target = this.#target
    try {
      let state: StreamState
      if (target?.bridge) {
        try {
          state = await viaBridge(target.bridge)
        } catch (error) {
          throw new ControlError(
            readCode(error),
            error instanceof Error ? error.message : String(error)
          )
        }
      } else {
        state = await this.#request(body, target?.token ?? null)
      }
      this.#controlError = null
      return state
    } catch (error) {
      const failure =
        error instanceof ControlError ? error : new ControlError('E_CLIENT', String(error))
      this.#controlError = `${failure.message} (${failure.code})`
      throw failure
    }
  }

  #request(body: ControlBody, token: string | null): Promise<StreamState> {
    const socket = this.#socket
    if (!socket || !socket.isOpen || !this.#helloSeen) {
      return Promise.reject(new ControlError('E_NOT_CONNECTED', 'not connected to the stream'))
    }
    // Sending would only earn an E_UNAUTHORIZED; the page already explains why it cannot steer.
    if (this.readOnlyReason !== null) {
      return Promise.reject(
        new ControlError('E_READ_ONLY', 'this page can watch but not control the stream')
      )
    }
    const id = this.#nextRequestId++
    const message: ClientMessage = { ...body, id, token }
    return new Promise<StreamState>((resolve, reject) => {
      const timer = this.#deps.clock.setTimeout(() => {
        this.#settle(id, null, new ControlError('E_TIMEOUT', 'the server did not answer in time'))
      }, this.#deps.requestTimeoutMs ?? 5000)
      this.#pending.set(id, { resolve, reject, timer })
      socket.send(JSON.stringify(message))
    })
  }

  #settle(id: number, state: StreamState | null, error: ControlError | null): void {
    const pending = this.#pending.get(id)
    if (!pending) return
    this.#pending.delete(id)
    this.#deps.clock.clearTimeout(pending.timer)
    if (state) pending.resolve(state)
    else pending.reject(error ?? new ControlError('E_CLIENT', 'request failed'))
  }

  #rejectAll(reason: string): void {
    for (const id of [...this.#pending.keys()])
      this.#settle(id, null, new ControlError('E_NOT_CONNECTED', reason))
  }

  #clearTimer(which: 'retry' | 'tick' | 'hello'): void {
    const handle =
      which === 'retry' ? this.#retryTimer : which === 'tick' ? this.#tickTimer : this.#helloTimer
    if (handle !== null) this.#deps.clock.clearTimeout(handle)
    if (which === 'retry') this.#retryTimer = null
    else if (which === 'tick') this.#tickTimer = null
    else this.#helloTimer = null
  }
}

// IPC rejections carry a CodedError's code in the message or as a property, depending on how
// main serialises it; fall back to a local code.
function readCode(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  )
    return error.code
  const match = error instanceof Error ? /\bE_[A-Z_]+\b/.exec(error.message) : null
  return match ? match[0] : 'E_IPC'
}

// The fragment token is read once, on the first connection attempt, and removed from the URL.
let fragmentToken: { value: string | null } | null = null
function pageFragmentToken(): string | null {
  fragmentToken ??= { value: takeTokenFromFragment(window.location, window.history) }
  return fragmentToken.value
}

/** The page's stream client; `main.ts` calls `connect()`. */
export const stream = new StreamClient({
  resolveTarget: () =>
    resolveConnectionTarget(window.bernoulli ?? null, window.location, pageFragmentToken()),
  openSocket: browserSocketFactory,
  clock: {
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    now: () => Date.now()
  },
  random: Math.random,
  observer: posterior
})
