/**
 * The page's single copy of what the server last said about itself: its state (true p, the
 * interval, running, next sequence number) and its identity (run id, name, bind address).
 * Written only by the stream session; everything else reads it.
 */
import {
  isLoopbackHost,
  type HelloMessage,
  type StreamSource,
  type StreamState
} from '../../../shared/protocol/messages'

const SAMPLER: StreamSource = { kind: 'sampler' }

/** Identity of the server run the page is connected to, from its latest hello. */
export interface ServerIdentity {
  /** Random id of this server run; sequence numbers restart with every run. */
  streamId: string
  /** `bernoulli-stream/<version>`. */
  server: string
  /** Address the server is bound to. */
  bindHost: string
  controlRequiresToken: boolean
}

/** Mirror of the server's state. */
export class ServerMirror {
  #state = $state.raw<StreamState | null>(null)
  #identity = $state.raw<ServerIdentity | null>(null)

  /** The stream's state as last reported (hello, state event or ack); null before any. */
  get state(): StreamState | null {
    return this.#state
  }

  /** The server run's identity from the latest hello; null before the first. */
  get identity(): ServerIdentity | null {
    return this.#identity
  }

  /** The probability of a 1 the server draws with now; null before the first hello (or when a file source does not say). */
  get trueP(): number | null {
    return this.#state?.p ?? null
  }

  /** The seed the stream draws from (reproducible runs); null for a file source or an older server. */
  get seed(): number | null {
    return this.#state?.seed ?? null
  }

  /** Where the samples come from (the sampler when an older server does not say). */
  get source(): StreamSource {
    return this.#state?.source ?? SAMPLER
  }

  /**
   * True when the server draws the samples, so p, the interval, the seed, step mode and
   * scenarios can be set; false while it serves a file (`--replay`, `--follow`).
   */
  get sampling(): boolean {
    return this.source.kind === 'sampler'
  }

  /** True when the server is bound beyond loopback, so the stream is reachable from the network. */
  get exposedToNetwork(): boolean {
    const host = this.#identity?.bindHost
    return host !== undefined && !isLoopbackHost(host)
  }

  /** Takes the identity and state from a hello. */
  applyHello(hello: HelloMessage): void {
    this.#identity = {
      streamId: hello.streamId,
      server: hello.server,
      bindHost: hello.bindHost,
      controlRequiresToken: hello.controlRequiresToken
    }
    this.#state = hello.state
  }

  /** Takes a newer state (state event or ack). */
  applyState(state: StreamState): void {
    this.#state = state
  }
}
