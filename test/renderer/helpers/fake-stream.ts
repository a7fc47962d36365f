/** Test doubles for the stream client: an in-memory socket factory and message builders. */
import { vi } from 'vitest'
import type { ConnectionTarget } from '../../../src/renderer/src/lib/connection-target'
import type {
  SocketFactory,
  SocketHandle,
  SocketHandlers
} from '../../../src/renderer/src/lib/socket'
import type { StreamState } from '../../../src/shared/protocol/messages'
import { PosteriorTracker } from '../../../src/renderer/src/state/posterior.svelte'
import { StreamClient, type StreamClientDeps } from '../../../src/renderer/src/state/stream.svelte'

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

  /** The server sends a frame (objects are JSON-encoded). */
  receive(message: object | string): void {
    this.handlers.message(typeof message === 'string' ? message : JSON.stringify(message))
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
export function state(overrides: Partial<StreamState> = {}): StreamState {
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
    state: state(overrides),
    controlRequiresToken,
    bindHost
  }
}

/** A samples batch starting at `seq`; times are 1 ms apart from 1e12. */
export function samples(seq: number, values: Array<0 | 1>): object {
  return { type: 'samples', seq, values, times: values.map((_, i) => 1e12 + seq + i) }
}

/** The browser-mode target used by most tests. */
export function browserTarget(token: string | null = 'tok'): ConnectionTarget {
  return {
    jsonStreamUrl: 'ws://127.0.0.1:8888/v1/stream',
    referenceUrl: 'ws://127.0.0.1:8888/websocket/',
    token,
    bridge: null
  }
}

/** Frames requested by a tracker, run by hand. */
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

/** A client wired to a fake network, a real tracker with manual frames, and fake timers. */
export function makeClient(
  overrides: Partial<StreamClientDeps> = {},
  target: ConnectionTarget = browserTarget()
) {
  const network = new FakeNetwork()
  const frames = new ManualFrames()
  const tracker = new PosteriorTracker({ requestFrame: frames.request, now: () => Date.now() })
  const client = new StreamClient({
    resolveTarget: () => Promise.resolve(target),
    openSocket: network.factory,
    clock: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      now: () => Date.now()
    },
    random: () => 0,
    observer: tracker,
    ...overrides
  })
  return { client, network, tracker, frames }
}

/** Lets the client's pending promise callbacks (target resolution, acks) run. */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0)
}
