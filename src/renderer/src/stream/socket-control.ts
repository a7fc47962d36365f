/**
 * Steering over the JSON socket: every request carries the control token and waits for its
 * `ack` or `error`. Used by a browser page served by the headless server.
 */
import type { StreamState } from '../../../shared/protocol/messages'
import type { StreamControl } from './control'
import type { StreamSession } from './stream-session.svelte'

/** {@link StreamControl} over the session's socket, plus the `auth` check. */
export class SocketControl implements StreamControl {
  readonly canDraw = true

  /**
   * @param session carries the requests.
   * @param token the token to send with each request (read at send time), or null for none.
   */
  constructor(
    private readonly session: StreamSession,
    private readonly token: () => string | null
  ) {}

  start(): Promise<StreamState> {
    return this.#send({ type: 'start' })
  }

  stop(): Promise<StreamState> {
    return this.#send({ type: 'stop' })
  }

  setP(p: number): Promise<StreamState> {
    return this.#send({ type: 'set', p })
  }

  setIntervalMs(intervalMs: number): Promise<StreamState> {
    return this.#send({ type: 'set', intervalMs })
  }

  draw(count: number): Promise<StreamState> {
    return this.#send({ type: 'draw', count })
  }

  reseed(seed?: number): Promise<StreamState> {
    return this.#send(seed === undefined ? { type: 'reseed' } : { type: 'reseed', seed })
  }

  /**
   * Asks whether `token` may steer on this connection, changing nothing. Resolves when it may;
   * rejects with the error the control gate gives otherwise.
   */
  auth(token: string | null): Promise<StreamState> {
    return this.session.request((id) => ({ type: 'auth', id, token }))
  }

  #send(body: Record<string, unknown>): Promise<StreamState> {
    return this.session.request((id) => ({ ...body, id, token: this.token() }))
  }
}
