import type { IncomingMessage, ServerResponse } from 'node:http'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import type { ServerMessage } from '../../shared/protocol/messages'
import type { Clock } from '../../shared/clock'
import { MAX_SCENARIO_BYTES } from '../scenario/scenario-file'
import { discardBody, readBody } from './request-body'
import { controlGate } from './control-gate'
import type { FailedControlLimiter } from './failed-control-limiter'
import { isAllowedControlOrigin } from './request-guard'
import type { ServerStats } from './server-stats'
import type { StreamControls } from './stream-controls'
import { TokenBucket } from './token-bucket'

/** Options of {@link ScenarioRoute}. */
export interface ScenarioRouteOptions {
  clock: Clock
  controls: StreamControls
  stats: ServerStats
  controlToken: string | null
  allowedOrigins: readonly string[]
  controlRatePerS: number
  controlBurst: number
  /** Failed attempts, shared with the JSON path: an upload buys a guesser no fresh allowance. */
  failures: FailedControlLimiter
  isClosing: () => boolean
}

// Allowances per remote address; a full table is emptied rather than grown (a flood of addresses
// on loopback is not a thing, and the gate's rate limit is a courtesy here, not the defence).
const MAX_ADDRESSES = 1024

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.ForbiddenOrigin]: 403,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ServerClosed]: 503,
  [ErrorCode.NotSampling]: 409,
  [ErrorCode.TooLarge]: 413
}

/**
 * `/v1/scenario`: how a page (the app's UI, or any tool) loads a scenario without squeezing it
 * into the JSON path's few-KiB frames. `GET` shows the running scenario and its progress (public,
 * like `/status`); `PUT` with the scenario as its body (JSON or YAML, at most 128 KiB) runs it;
 * `DELETE` ends it. Both are judged by the same control gate as control messages: shutdown,
 * rate (per remote address), origin, then the token, sent as `Authorization: Bearer <token>`.
 * Answers are JSON: `{"type":"ack","state":…}` or `{"type":"error","code":…,"message":…}`.
 */
export class ScenarioRoute {
  readonly #options: ScenarioRouteOptions
  readonly #buckets = new Map<string, TokenBucket>()

  constructor(options: ScenarioRouteOptions) {
    this.#options = options
  }

  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const origin = request.headers.origin
    const originAllowed = isAllowedControlOrigin(
      origin,
      request.headers.host,
      this.#options.allowedOrigins
    )
    // A page on an allowed origin (the desktop app's own scheme) may call this across origins.
    if (origin !== undefined && originAllowed) {
      response.setHeader('Access-Control-Allow-Origin', origin)
      response.setHeader('Vary', 'Origin')
    }
    switch (request.method) {
      case 'OPTIONS':
        response.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, PUT, DELETE',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '600'
        })
        return void response.end()
      case 'GET':
      case 'HEAD':
        return this.#show(request, response)
      case 'PUT':
      case 'DELETE':
        return this.#change(request, response, url, originAllowed)
      default:
        response.setHeader('Allow', 'GET, HEAD, PUT, DELETE, OPTIONS')
        return json(response, 405, {
          type: 'error',
          code: ErrorCode.BadMessage,
          message: 'use GET, PUT or DELETE',
          id: null
        })
    }
  }

  #show(request: IncomingMessage, response: ServerResponse): void {
    const loaded = this.#options.controls.scenario()
    const state = this.#options.controls.state()
    const body = {
      name: loaded?.name ?? null,
      scenario: loaded?.scenario ?? null,
      progress: state.scenario ?? null
    }
    json(response, 200, body, request.method === 'HEAD')
  }

  async #change(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    originAllowed: boolean
  ): Promise<void> {
    const { clock, controls, stats, controlToken } = this.#options
    const now = clock.monotonicMs()
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    const remoteAddress = request.socket.remoteAddress ?? ''
    const verdict = controlGate(
      {
        originAllowed,
        controlBucket: this.#bucket(remoteAddress, now),
        remoteAddress,
        provedToken: false
      },
      { id: null, token: bearer ? bearer[1]! : null },
      now,
      { controlToken, closing: this.#options.isClosing(), failures: this.#options.failures }
    )
    const fail = (code: ErrorCode, message: string): void => {
      stats.controlEnded(code)
      json(response, HTTP_STATUS[code] ?? 400, {
        type: 'error',
        code,
        message,
        id: null
      } satisfies ServerMessage)
    }
    if (!verdict.ok) {
      discardBody(request, MAX_SCENARIO_BYTES)
      return fail(verdict.code, verdict.message)
    }
    try {
      if (request.method === 'DELETE') {
        discardBody(request, MAX_SCENARIO_BYTES)
        controls.clearScenario()
      } else {
        const body = await readBody(request, MAX_SCENARIO_BYTES)
        if (body === null) {
          response.setHeader('Connection', 'close')
          return fail(ErrorCode.TooLarge, `a scenario is at most ${MAX_SCENARIO_BYTES / 1024} KiB`)
        }
        // The name names the scenario in progress reports and its extension picks the syntax.
        const name =
          (url.searchParams.get('name') ?? '').slice(0, 100) ||
          nameFor(request.headers['content-type'])
        controls.loadScenario(body, name)
      }
    } catch (error) {
      if (error instanceof CodedError) return fail(error.code, error.message)
      throw error
    }
    stats.controlEnded('ack')
    json(response, 200, { type: 'ack', id: null, state: controls.state() } satisfies ServerMessage)
  }

  #bucket(address: string, now: number): TokenBucket {
    let bucket = this.#buckets.get(address)
    if (!bucket) {
      if (this.#buckets.size >= MAX_ADDRESSES) this.#buckets.clear()
      bucket = new TokenBucket(this.#options.controlRatePerS, this.#options.controlBurst, now)
      this.#buckets.set(address, bucket)
    }
    return bucket
  }
}

/** A name whose extension says the syntax, from the body's Content-Type. */
function nameFor(contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase()
  if (type.includes('json')) return 'upload.json'
  if (type.includes('yaml')) return 'upload.yaml'
  return 'upload'
}

function json(response: ServerResponse, status: number, body: unknown, headOnly = false): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store'
  })
  response.end(headOnly ? undefined : JSON.stringify(body))
}
