/**
 * The page's session with the JSON stream: keeps the socket connected and resumes it without
 * loss, accounts for every sequence number exactly once, keeps the single mirror of the
 * server's state, and hands samples, gaps and changes on to the sink in stream order. Control
 * requests travel through {@link StreamSession.request}; their replies are settled here.
 */
import type {
  ScenarioProgress,
  ServerMessage,
  StateChange,
  StateMessage,
  StreamState
} from '../../../shared/protocol/messages'
import { parseServerMessage } from '../../../shared/protocol/server-message-parser'
import type { BackoffOptions } from './backoff'
import { resumeUrl, type ConnectionTarget } from './connection-target'
import { ControlError } from './control'
import type { Clock } from '../../../shared/clock'
import { ReconnectingSocket } from './reconnecting-socket.svelte'
import { RequestChannel } from './request-channel'
import { SequenceTracker, type SeqGap } from './sequence-tracker'
import { ServerMirror } from './server-mirror.svelte'
import type { SocketFactory } from './socket'
import type { ScenarioHappening, ScenarioStepRef, StreamChange, StreamSink } from './stream-events'
import type { TabStorage } from './tab-storage'

/** What the connection indicator shows. */
export type ConnectionStatus =
  /** Opening a socket, or open and waiting for the server's hello. */
  | { kind: 'connecting' }
  /** Connected and the sampler is running. */
  | { kind: 'live' }
  /** Connected; the server says the sampler is stopped. */
  | { kind: 'stopped' }
  /** Disconnected; the next attempt starts in `seconds` (rounded up). */
  | { kind: 'reconnecting'; seconds: number }
  /** {@link StreamSession.disconnect} was called. */
  | { kind: 'offline' }

/** Samples lost in transit, for the notice: the latest gap with running totals. */
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

/** Everything the session needs from the outside. */
export interface StreamSessionDeps {
  /** Called before every connection attempt (the server's port may change between runs). */
  resolveTarget: () => Promise<ConnectionTarget>
  openSocket: SocketFactory
  clock: Clock
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number
  sink: StreamSink
  /** Where the count start survives a reload of the tab. */
  tab: TabStorage
  /** Default 250 ms doubling to 10 s with 50 % jitter. */
  backoff?: BackoffOptions
  /** How long a control request may wait for its reply, ms. Default 5000. */
  requestTimeoutMs?: number
  /** How long a connection may take to deliver its hello, ms. Default 10000. */
  helloTimeoutMs?: number
}

/** A hello as the session's listeners see it. */
export interface HelloEvent {
  /** True when this hello is from a different server run than the previous one the page saw. */
  newRun: boolean
  /** True for the first hello since the page loaded. */
  first: boolean
}

/** The page's stream session. */
export class StreamSession {
  #greeted = $state(false)
  #target = $state.raw<ConnectionTarget | null>(null)
  #gapNotice = $state.raw<GapNotice | null>(null)
  #missedBeforeJoin = $state(0)
  #malformedFrames = $state(0)
  #lastError = $state.raw<ControlError | null>(null)

  /** The single copy of the server's state and identity. */
  readonly mirror = new ServerMirror()

  readonly #deps: StreamSessionDeps
  readonly #socket: ReconnectingSocket
  readonly #tracker = new SequenceTracker()
  readonly #requests: RequestChannel
  // Listeners, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #helloListeners = new Set<(event: HelloEvent) => void>()
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #stateListeners = new Set<(change: StateChange | 'hello') => void>()
  #streamId: string | null = null
  // The first connection to a run: a gap before its first samples is history we joined too late for.
  #joining = true
  // The state as of the stream position delivered to the sink (null: not known yet).
  #streamState: StreamState | null = null
  // The latest hello's state, until the stream reaches its first live sample.
  #catchUp: { state: StreamState; joined: boolean } | null = null
  #gaps = 0
  #lost = 0

  constructor(deps: StreamSessionDeps) {
    this.#deps = deps
    this.#requests = new RequestChannel(deps.clock, deps.requestTimeoutMs)
    this.#socket = new ReconnectingSocket(
      {
        openSocket: deps.openSocket,
        clock: deps.clock,
        random: deps.random,
        backoff: deps.backoff,
        greetingTimeoutMs: deps.helloTimeoutMs
      },
      {
        resolveUrl: () => this.#resolveUrl(),
        message: (data) => this.#receive(data),
        lost: () => {
          this.#greeted = false
          this.#requests.rejectAll()
        }
      }
    )
  }

  /** Connection indicator state. */
  get status(): ConnectionStatus {
    switch (this.#socket.phase) {
      case 'idle':
      case 'connecting':
        return { kind: 'connecting' }
      case 'open': {
        const state = this.mirror.state
        if (!this.#greeted || !state) return { kind: 'connecting' }
        return { kind: state.running ? 'live' : 'stopped' }
      }
      case 'waiting':
        return { kind: 'reconnecting', seconds: this.#socket.retryInSeconds }
      case 'offline':
        return { kind: 'offline' }
    }
  }

  /** True while the socket is open and the server has said hello. */
  get connected(): boolean {
    return this.#greeted && this.#socket.isOpen
  }

  /** The resolved target (URLs, token, bridge); null before the first attempt resolved it. */
  get target(): ConnectionTarget | null {
    return this.#target
  }

  /** Last sequence number accounted for (received or lost); what `?after=` resumes from. */
  get lastSeq(): number {
    return this.#tracker.last
  }

  /** Latest loss in transit with running totals; null when none (or dismissed). */
  get gapNotice(): GapNotice | null {
    return this.#gapNotice
  }

  /**
   * Samples of this run drawn before the page joined that the server no longer held (its replay
   * buffer is bounded), so the posterior could not count them; 0 when it got everything.
   */
  get missedBeforeJoin(): number {
    return this.#missedBeforeJoin
  }

  /** Frames that failed to parse (ignored); non-zero means a server/client mismatch. */
  get malformedFrames(): number {
    return this.#malformedFrames
  }

  /** An error the server sent that answered no request of ours; null when none. */
  get unsolicitedError(): ControlError | null {
    return this.#lastError
  }

  /** Starts connecting (idempotent). */
  connect(): void {
    this.#socket.connect()
  }

  /** Skips the rest of the backoff wait and reconnects now. */
  retryNow(): void {
    this.#socket.retryNow()
  }

  /** Closes the connection and stops reconnecting (idempotent). */
  disconnect(): void {
    this.#socket.disconnect()
    this.#greeted = false
    this.#requests.rejectAll()
  }

  /** Hides the gap notice until the next gap. */
  dismissGapNotice(): void {
    this.#gapNotice = null
  }

  /** Calls `listener` after every hello (mirror already updated); returns an unsubscribe. */
  onHello(listener: (event: HelloEvent) => void): () => void {
    this.#helloListeners.add(listener)
    return () => this.#helloListeners.delete(listener)
  }

  /**
   * Calls `listener` whenever the mirror takes the server's newest state from a hello or a state
   * event (not from replayed older events, nor from acks); returns an unsubscribe.
   */
  onServerState(listener: (change: StateChange | 'hello') => void): () => void {
    this.#stateListeners.add(listener)
    return () => this.#stateListeners.delete(listener)
  }

  /**
   * The user's Reset: counting restarts after the last sequence number accounted for, and a
   * reload of this tab resumes counting from there rather than from the start of the run.
   */
  restartCount(): void {
    const afterSeq = this.#tracker.last
    if (this.#streamId !== null)
      this.#deps.tab.saveCountStart({ streamId: this.#streamId, afterSeq })
    this.#deps.sink.restartCount(afterSeq)
  }

  /**
   * Sends a control message built by `build` (given its request id) and waits for its reply.
   * Rejects with a {@link ControlError}: the server's error, E_TIMEOUT or E_NOT_CONNECTED.
   */
  request(build: (id: number) => object): Promise<StreamState> {
    return this.#requests.request((id) => {
      if (!this.connected) return false
      return this.#socket.send(JSON.stringify(build(id)))
    })
  }

  async #resolveUrl(): Promise<string> {
    const target = await this.#deps.resolveTarget()
    this.#target = target
    if (this.#tracker.hasBaseline)
      return resumeUrl(target.jsonStreamUrl, this.#tracker.last, this.#streamId)
    // First connection of the page: replay the run (or the tab's count start) so n matches it.
    const start = this.#deps.tab.loadCountStart()
    return resumeUrl(target.jsonStreamUrl, start?.afterSeq ?? 0, start?.streamId ?? null)
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
    const { sink } = this.#deps
    switch (message.type) {
      case 'hello': {
        const event = this.#onHello(message.streamId, message.state)
        this.mirror.applyHello(message)
        this.#socket.markGreeted()
        this.#greeted = true
        for (const listener of this.#helloListeners) listener(event)
        for (const listener of this.#stateListeners) listener('hello')
        break
      }
      case 'samples': {
        this.#settleCatchUp(message.seq + message.values.length - 1)
        const verdict = this.#tracker.accept(message.seq, message.values.length)
        if (verdict.gap) this.#noteGap(verdict.gap, false)
        if (verdict.skip < message.values.length)
          sink.addSamples(message.seq, message.values, message.times, verdict.skip)
        this.#joining = false
        break
      }
      case 'gap': {
        this.#settleCatchUp(message.to)
        const gap = this.#tracker.declareLost(message.from, message.to)
        if (gap) this.#noteGap(gap, true)
        break
      }
      case 'state':
        this.#onStateEvent(message)
        break
      case 'ack':
        // The change itself arrives as a state event, to every client; an ack only answers.
        this.#applyToMirror(message.state)
        if (this.#requests.has(message.id)) this.#requests.settle(message.id, message.state, null)
        break
      case 'error': {
        const error = new ControlError(message.code, message.message)
        if (this.#requests.has(message.id)) this.#requests.settle(message.id, null, error)
        else this.#lastError = error
        break
      }
    }
  }

  // Decides where counting stands after a hello, before the mirror takes the new state.
  #onHello(streamId: string, state: StreamState): HelloEvent {
    const { sink, tab } = this.#deps
    const first = !this.#tracker.hasBaseline
    const newRun = this.#streamId !== null && streamId !== this.#streamId
    if (first || newRun) {
      if (first) {
        // The server replays from the tab's count start if it is of this run, else from 1.
        const start = tab.loadCountStart()
        if (start && start.streamId === streamId) this.#tracker.rebase(start.afterSeq)
        else {
          if (start) tab.saveCountStart(null)
          this.#tracker.rebase(0)
        }
      } else {
        // A new server run numbers from 1 again and replays its run from the start.
        tab.saveCountStart(null)
        this.#tracker.rebase(0)
        sink.newRun()
      }
      this.#joining = true
      // What happened before joining is told by the state events of the replay, if any.
      this.#streamState = null
      sink.addChange({ kind: 'joined', state, afterSeq: this.#tracker.last }, state.nextSeq)
    }
    this.#catchUp = { state, joined: first || newRun }
    this.#streamId = streamId
    this.#settleCatchUp(this.#tracker.last)
    return { first, newRun }
  }

  // A state event: the mirror takes it when it is the newest the page has; the sink hears the
  // change at its place in the stream (replayed events come in stream order, each right after
  // the last sample drawn before it).
  #onStateEvent(message: StateMessage): void {
    const next = message.state
    const previous = this.#streamState
    if (this.#catchUp && next.nextSeq >= this.#catchUp.state.nextSeq) this.#catchUp = null
    // A resume gets the event at its resume point again; the whole state repeats, so skip it.
    if (!previous || !sameState(previous, next)) {
      this.#streamState = next
      const { sink } = this.#deps
      // A scenario loaded in this very event comes before its first step's change; one that
      // finished or ended, after its last.
      const happening = previous ? scenarioHappening(previous, next) : null
      const first = happening?.what === 'loaded'
      if (happening && first) sink.addChange(happening, next.nextSeq)
      const change = changeOf(message.change, previous, next)
      if (change) sink.addChange(change, next.nextSeq)
      if (happening && !first) sink.addChange(happening, next.nextSeq)
      if (message.change !== 'p' && next.p !== null && next.p !== previous?.p)
        sink.addChange({ kind: 'known', p: next.p }, next.nextSeq)
    }
    if (this.#applyToMirror(next))
      for (const listener of this.#stateListeners) listener(message.change)
  }

  // Takes `next` unless the mirror already holds a newer state; true when it took it.
  #applyToMirror(next: StreamState): boolean {
    const current = this.mirror.state
    if (current !== null && next.nextSeq < current.nextSeq) return false
    this.mirror.applyState(next)
    return true
  }

  /**
   * Once the stream reaches the first sample after a hello (`state.nextSeq`), what the state
   * events did not tell (a server that keeps fewer of them, or none) is told from the hello.
   * @param reaching the last sequence number about to be accounted for.
   */
  #settleCatchUp(reaching: number): void {
    const catchUp = this.#catchUp
    if (!catchUp || reaching < catchUp.state.nextSeq - 1) return
    this.#catchUp = null
    const previous = this.#streamState
    this.#streamState = catchUp.state
    if (catchUp.joined || previous === null) return
    const next = catchUp.state
    const changes: StreamChange[] = []
    // p is null when the server replays a file that does not record it: not a change of p.
    if (next.p !== previous.p && next.p !== null && previous.p !== null) {
      changes.push({ kind: 'p', p: next.p, previous: previous.p })
    }
    if (next.intervalMs !== previous.intervalMs)
      changes.push({ kind: 'interval', intervalMs: next.intervalMs, previous: previous.intervalMs })
    if (next.running !== previous.running) changes.push({ kind: 'running', running: next.running })
    for (const change of changes) this.#deps.sink.addChange(change, next.nextSeq)
  }

  #noteGap(gap: SeqGap, announced: boolean): void {
    const beforeJoin = this.#joining && announced
    this.#deps.sink.addGap({ ...gap, announced, beforeJoin })
    if (beforeJoin) {
      this.#missedBeforeJoin += gap.to - gap.from + 1
      return
    }
    this.#gaps++
    this.#lost += gap.to - gap.from + 1
    this.#gapNotice = { from: gap.from, to: gap.to, gaps: this.#gaps, lost: this.#lost }
  }
}

// Everything a state event can report, so an event that only moved the scenario (loaded, ended,
// a step that changed neither p nor the interval) or the seed is not taken for a repeat.
function sameState(a: StreamState, b: StreamState): boolean {
  return (
    a.p === b.p &&
    a.intervalMs === b.intervalMs &&
    a.running === b.running &&
    a.nextSeq === b.nextSeq &&
    (a.seed ?? null) === (b.seed ?? null) &&
    sameProgress(a.scenario ?? null, b.scenario ?? null)
  )
}

function sameProgress(a: ScenarioProgress | null, b: ScenarioProgress | null): boolean {
  if (a === null || b === null) return a === b
  return (
    a.name === b.name &&
    a.step === b.step &&
    a.pass === b.pass &&
    a.done === b.done &&
    a.steps === b.steps
  )
}

/**
 * What happened to the scenario between two states: loaded (or replaced by another), ended,
 * finished, a new pass of a loop, or (a `scenario` event alone) a step that moved nothing else.
 */
function scenarioHappening(
  previous: StreamState,
  next: StreamState
): Extract<StreamChange, { kind: 'scenario' }> | null {
  const before = previous.scenario ?? null
  const after = next.scenario ?? null
  if (sameProgress(before, after)) return null
  const progress = after ?? before
  if (!progress) return null
  let what: ScenarioHappening
  if (after === null) what = 'ended'
  else if (before === null || before.name !== after.name || before.steps !== after.steps)
    what = 'loaded'
  else if (after.done && !before.done) what = 'finished'
  else if (after.pass !== before.pass) what = 'pass'
  else if (after.step !== before.step && samePace(previous, next)) what = 'step'
  else return null // the step's own p or interval change tells it
  const { name, step, steps, pass } = progress
  return { kind: 'scenario', what, name, step, steps, pass }
}

function samePace(a: StreamState, b: StreamState): boolean {
  return a.p === b.p && a.intervalMs === b.intervalMs && a.running === b.running
}

// The scenario step that made a change, when one is running and the change came with a step.
function scenarioStep(previous: StreamState | null, next: StreamState): ScenarioStepRef | null {
  const after = next.scenario
  if (!after || after.step === 0) return null
  const before = previous?.scenario
  if (
    before &&
    before.name === after.name &&
    before.step === after.step &&
    before.pass === after.pass
  )
    return null
  return { name: after.name, step: after.step, steps: after.steps }
}

function changeOf(
  change: StateChange,
  previous: StreamState | null,
  next: StreamState
): StreamChange | null {
  switch (change) {
    case 'p': {
      // A file source that does not know its p says nothing the timeline can draw.
      if (next.p === null) return null
      const step = scenarioStep(previous, next)
      const base = { kind: 'p', p: next.p, previous: previous?.p ?? null } as const
      return step ? { ...base, scenario: step } : base
    }
    case 'interval':
      return {
        kind: 'interval',
        intervalMs: next.intervalMs,
        previous: previous?.intervalMs ?? null
      }
    case 'running':
      return { kind: 'running', running: next.running }
    case 'seed':
      return { kind: 'seed', seed: next.seed ?? null }
    case 'scenario':
      // Its steps arrive as p and interval events; progress is in the mirror's state.
      return null
    case 'recording':
      // Changes nothing the posterior sees; the recording is in the mirror's state.
      return null
  }
}
