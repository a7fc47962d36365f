/**
 * Test doubles for the renderer: an in-memory socket factory the test plays the server on,
 * message builders, hand-stepped animation frames, Map-backed storage, and the page's real
 * layers wired to them.
 */
import { vi } from 'vitest'
import { ChartView } from '../../../src/renderer/src/charts/chart-view.svelte'
import { systemClock } from '../../../src/shared/clock'
import { FrameScheduler } from '../../../src/renderer/src/charts/frame-scheduler.svelte'
import { APP_CONTEXT, type AppLayers } from '../../../src/renderer/src/components/app-context'
import { PosteriorSettings } from '../../../src/renderer/src/posterior/posterior-settings.svelte'
import type { ConnectionTarget } from '../../../src/renderer/src/stream/connection-target'
import { Controller } from '../../../src/renderer/src/stream/controller.svelte'
import { ScenarioClient, type FetchLike } from '../../../src/renderer/src/stream/scenario-client'
import { ScenarioMirror } from '../../../src/renderer/src/stream/scenario-mirror.svelte'
import type {
  SocketFactory,
  SocketHandle,
  SocketHandlers
} from '../../../src/renderer/src/stream/socket'
import {
  StreamSession,
  type StreamSessionDeps
} from '../../../src/renderer/src/stream/stream-session.svelte'
import { TabStorage, type KeyValueStorage } from '../../../src/renderer/src/stream/tab-storage'
import type { StateChange, StreamState } from '../../../src/shared/protocol/messages'

/** One fake connection; the test plays the server. */
export class FakeSocket implements SocketHandle {
  readonly sent: string[] = []
  isOpen = false
  closedWith: { code: number; reason: string } | null = null

  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers
  ) {}

  /** The server accepts the connection. */
  accept(): void {
    this.isOpen = true
    this.handlers.open()
  }

  /** The server sends a frame (objects are JSON-encoded; anything else is passed as is). */
  receive(message: object | string): void {
    if (typeof message === 'object' && 'state' in message)
      this.#state = message.state as StreamState
    this.handlers.message(typeof message === 'string' ? message : JSON.stringify(message))
  }

  // The server's state as this socket last told it, for acks.
  #state: StreamState = stateOf()

  /** The server sends a frame that is not text. */
  receiveBinary(data: ArrayBuffer): void {
    this.handlers.message(data)
  }

  /** The connection breaks (server gone, network down). */
  drop(code = 1006): void {
    this.isOpen = false
    this.handlers.close(code, '')
  }

  /** Control messages the client sent, parsed. */
  sentMessages(): Array<Record<string, unknown>> {
    return this.sent.map((text) => JSON.parse(text) as Record<string, unknown>)
  }

  /** Sent control messages other than `auth` checks. */
  controlMessages(): Array<Record<string, unknown>> {
    return this.sentMessages().filter((m) => m.type !== 'auth')
  }

  /** Answers every `auth` request sent so far and not yet answered: ack, or the given error. */
  answerAuth(error?: { code: string; message: string }, state: StreamState = this.#state): void {
    for (const message of this.sentMessages()) {
      if (message.type !== 'auth' || this.#answered.has(message.id as number)) continue
      this.#answered.add(message.id as number)
      this.receive(
        error
          ? { type: 'error', code: error.code, message: error.message, id: message.id }
          : { type: 'ack', id: message.id, state }
      )
    }
  }

  readonly #answered = new Set<number>()

  send(text: string): void {
    this.sent.push(text)
  }

  close(code = 1000, reason = ''): void {
    if (this.closedWith) return
    this.closedWith = { code, reason }
    this.isOpen = false
    this.handlers.close(code, reason)
  }
}

/** Records every socket the client opens. */
export class FakeNetwork {
  readonly sockets: FakeSocket[] = []
  readonly factory: SocketFactory = (url, handlers) => {
    const socket = new FakeSocket(url, handlers)
    this.sockets.push(socket)
    return socket
  }

  get last(): FakeSocket {
    const socket = this.sockets.at(-1)
    if (!socket) throw new Error('no socket opened yet')
    return socket
  }
}

/** A server state with defaults. */
export function stateOf(overrides: Partial<StreamState> = {}): StreamState {
  return { p: 0.72, intervalMs: 100, running: true, nextSeq: 1, ...overrides }
}

/** A hello message of server run `streamId`. */
export function hello(
  overrides: Partial<StreamState> = {},
  controlRequiresToken = true,
  streamId = 'run-1',
  bindHost = '127.0.0.1'
): object {
  return {
    type: 'hello',
    protocol: 1,
    server: 'bernoulli-stream/0.1.0',
    streamId,
    state: stateOf(overrides),
    controlRequiresToken,
    bindHost
  }
}

/** A samples batch starting at `seq`; times are 1 ms apart from 1e12. */
export function samples(seq: number, values: Array<0 | 1>): object {
  return { type: 'samples', seq, values, times: values.map((_, i) => 1e12 + seq + i) }
}

/** A state event. */
export function stateEvent(change: StateChange, state: Partial<StreamState>): object {
  return { type: 'state', change, state: stateOf(state) }
}

/** The browser-mode target used by most tests. */
export function browserTarget(token: string | null = 'tok'): ConnectionTarget {
  return {
    jsonStreamUrl: 'ws://127.0.0.1:8888/v1/stream',
    referenceUrl: 'ws://127.0.0.1:8888/websocket/',
    httpUrl: 'http://127.0.0.1:8888',
    token,
    bridge: null
  }
}

/** Frames requested by the scheduler, run by hand. */
export class ManualFrames {
  readonly queue: Array<() => void> = []
  readonly request = (callback: () => void): void => {
    this.queue.push(callback)
  }

  /** Runs the frames requested so far; returns how many ran. */
  run(): number {
    const due = this.queue.splice(0)
    for (const callback of due) callback()
    return due.length
  }
}

/** A Map-backed Storage (session or local). */
export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>()
  getItem(key: string): string | null {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value)
  }
  removeItem(key: string): void {
    this.data.delete(key)
  }
}

/** Options of {@link makeLayers}. */
export interface LayerOptions {
  target?: ConnectionTarget
  session?: Partial<StreamSessionDeps>
  /** Session storage of the tab (survives a "reload" when passed to a second makeLayers). */
  tabStorage?: MemoryStorage
  localStorage?: MemoryStorage | null
  /** Monotonic clock for the stagger; omit to redraw both charts every frame. */
  frameClock?: () => number
  /** The server's `/v1/scenario`; default a {@link FakeScenarioServer}. */
  scenarioServer?: FakeScenarioServer
}

/** `/v1/scenario` played by the test: records requests, answers what the test set. */
export class FakeScenarioServer {
  readonly requests: Array<{
    url: string
    method: string
    headers: Record<string, string>
    body: string | null
  }> = []
  /** The body `GET` answers (the server's document); default: no scenario. */
  document: unknown = { name: null, scenario: null, progress: null }
  /** What the next `PUT`/`DELETE` answers; default an ack of {@link stateOf}. */
  reply: object = { type: 'ack', id: null, state: stateOf() }
  /** Set to make requests fail as an unreachable server does. */
  unreachable = false

  readonly fetch: FetchLike = async (url, init) => {
    const body =
      init.body === undefined
        ? null
        : typeof init.body === 'string'
          ? init.body
          : await init.body.text()
    this.requests.push({ url, method: init.method, headers: init.headers ?? {}, body })
    if (this.unreachable) throw new TypeError('Failed to fetch')
    const answer = init.method === 'GET' ? this.document : this.reply
    return { status: 200, text: () => Promise.resolve(JSON.stringify(answer)) }
  }
}

/** The page's real layers, wired to a fake network, fake timers and hand-stepped frames. */
export function makeLayers(options: LayerOptions = {}) {
  const network = new FakeNetwork()
  const frames = new ManualFrames()
  const tabStorage = options.tabStorage ?? new MemoryStorage()
  const tab = new TabStorage(tabStorage)
  const settings = new PosteriorSettings(options.localStorage ?? null, () => Date.now())
  const target = options.target ?? browserTarget()
  const session = new StreamSession({
    resolveTarget: () => Promise.resolve(target),
    openSocket: network.factory,
    clock: systemClock,
    random: () => 0,
    sink: settings.engine,
    tab,
    ...options.session
  })
  const scenarioServer = options.scenarioServer ?? new FakeScenarioServer()
  const scenarios = new ScenarioClient(scenarioServer.fetch, () => session.target?.httpUrl ?? null)
  const controller = new Controller(session, tab, scenarios)
  const scenario = new ScenarioMirror(session, scenarios)
  const view = new ChartView(settings.engine, options.localStorage ?? null)
  const scheduler = new FrameScheduler(
    { settings, mirror: session.mirror, view },
    { requestFrame: frames.request, frameClock: options.frameClock }
  )
  const layers: AppLayers = { session, controller, scenario, settings, view, frames: scheduler }
  return {
    layers,
    network,
    frames,
    tab,
    tabStorage,
    session,
    controller,
    scenario,
    scenarioServer,
    settings,
    engine: settings.engine,
    view,
    scheduler,
    /** The Svelte context that gives components these layers. */
    context: new Map<unknown, unknown>([[APP_CONTEXT, layers]])
  }
}

/** Layers whose session is connected to a fake server that said hello (and accepted the token). */
export async function connectedLayers(helloMessage: object = hello(), options: LayerOptions = {}) {
  const ctx = makeLayers(options)
  ctx.session.connect()
  await settle()
  ctx.network.last.accept()
  ctx.network.last.receive(helloMessage)
  ctx.network.last.answerAuth()
  await settle()
  return ctx
}

/** Lets pending promise callbacks (target resolution, acks) run. */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0)
}
