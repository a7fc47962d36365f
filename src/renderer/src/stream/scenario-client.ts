/**
 * Scenarios over HTTP (`/v1/scenario`, see docs/protocol.md): a scenario file does not fit in the
 * JSON socket's 4 KiB frames, so the page uploads it with `PUT` (the token as
 * `Authorization: Bearer …`), ends it with `DELETE` and reads its plan with `GET`, in the browser
 * and the desktop window alike. Replies are the socket's `ack` / `error` messages, read with the
 * same parser.
 */
import { SCENARIO_PATH, type StreamState } from '../../../shared/protocol/messages'
import { parseServerMessage } from '../../../shared/protocol/server-message-parser'
import { ControlError, LocalErrorCode } from './control'
import { REQUEST_TIMEOUT_MS } from './request-channel'
import { parseScenarioDocument, type ScenarioPlan } from './scenario-plan'

/** The part of `fetch` used; the page's own in the app, a fake in tests. */
export type FetchLike = (
  url: string,
  init: {
    method: 'GET' | 'PUT' | 'DELETE'
    headers?: Record<string, string>
    body?: Blob | string
    signal?: AbortSignal
  }
) => Promise<{ status: number; text(): Promise<string> }>

/** `/v1/scenario` of the server the page is connected to. */
export class ScenarioClient {
  /**
   * @param fetchImpl the page's `fetch`.
   * @param httpUrl the server's HTTP base URL (from the resolved target); null before it is known.
   * @param timeoutMs how long a request may take, ms; default the control requests' 5000.
   */
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly httpUrl: () => string | null,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS
  ) {}

  /** The running scenario's plan, or null when none runs. Rejects with a {@link ControlError}. */
  async plan(): Promise<ScenarioPlan | null> {
    const text = await this.#send('GET', {})
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new ControlError(LocalErrorCode.Client, 'the server’s scenario is not JSON')
    }
    return parseScenarioDocument(body)
  }

  /**
   * Runs a scenario (JSON or YAML, at most 128 KiB: the server refuses more without reading it).
   * @param name its file name, whose extension tells the server the syntax.
   * @returns the state after it; rejects with the server's error (`E_BAD_SCENARIO` names the
   *   step and the reason) or a local one.
   */
  async load(body: Blob | string, name: string, token: string | null): Promise<StreamState> {
    return readReply(await this.#send('PUT', { body, name, token }))
  }

  /** Ends the running scenario (p and the interval stay as it left them). */
  async clear(token: string | null): Promise<StreamState> {
    return readReply(await this.#send('DELETE', { token }))
  }

  async #send(
    method: 'GET' | 'PUT' | 'DELETE',
    options: { body?: Blob | string; name?: string; token?: string | null }
  ): Promise<string> {
    const base = this.httpUrl()
    if (base === null) throw new ControlError(LocalErrorCode.NotConnected)
    const url = new URL(SCENARIO_PATH, base)
    if (options.name !== undefined) url.searchParams.set('name', options.name)
    const headers: Record<string, string> = {}
    if (options.token) headers.Authorization = `Bearer ${options.token}`
    try {
      const response = await this.fetchImpl(url.toString(), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: options.body }),
        signal: AbortSignal.timeout(this.timeoutMs)
      })
      return await response.text()
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
      throw new ControlError(timedOut ? LocalErrorCode.Timeout : LocalErrorCode.NotConnected)
    }
  }
}

function readReply(text: string): StreamState {
  const parsed = parseServerMessage(text)
  if (parsed.ok && parsed.message.type === 'ack') return parsed.message.state
  if (parsed.ok && parsed.message.type === 'error')
    throw new ControlError(parsed.message.code, parsed.message.message)
  throw new ControlError(LocalErrorCode.Client, 'the server’s answer was not an ack or an error')
}
