import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  HEALTH_PATH,
  JSON_STREAM_PATH,
  PROTOCOL_VERSION,
  REFERENCE_PATH,
  REFERENCE_PATHS,
  METRICS_PATH,
  SCENARIO_PATH,
  SSE_PATH,
  STATUS_PATH,
  type ServerStatus
} from '../../shared/protocol/messages'
import type { StreamMetrics } from '../metrics/stream-metrics'
import { MAX_IGNORED_BODY_BYTES } from './constants'
import { discardBody } from './request-body'
import { isAllowedHost } from './request-guard'
import type { ScenarioRoute } from './scenario-route'
import { serveStaticFile } from './static-files'
import type { WebSocketKind } from './websocket-channel'

/** Options of {@link HttpRoutes}. */
export interface HttpRoutesOptions {
  /** Host names besides localhost and IP literals accepted in `Host` headers. */
  allowedHostNames: readonly string[]
  /** Directory of the built renderer served at `/`; undefined serves a short text page. */
  staticDir: string | undefined
  status: () => ServerStatus
  /** `GET /metrics`: the Prometheus exposition. */
  metrics: StreamMetrics
  /** `/v1/scenario`: show, load or end the scenario. */
  scenario: ScenarioRoute
  isClosing: () => boolean
  /** Takes over a request for the SSE stream. */
  acceptSse: (request: IncomingMessage, response: ServerResponse, url: URL) => void
}

/**
 * The plain-HTTP side of the port: `/healthz`, `/status`, the SSE stream, the built UI (or a
 * short text page), and the refusals (403 for a foreign `Host`, 405, 404).
 */
export class HttpRoutes {
  readonly #options: HttpRoutesOptions

  constructor(options: HttpRoutesOptions) {
    this.#options = options
  }

  /** Answers one request. Rejects only on a bug; the caller answers 500 then. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { allowedHostNames, staticDir } = this.#options
    const hostAllowed = isAllowedHost(request.headers.host, allowedHostNames)
    const url = parseRequestUrl(request.url)
    if (hostAllowed && url?.pathname === SCENARIO_PATH) {
      return this.#options.scenario.handle(request, response, url)
    }
    // Nothing else takes a body: what a peer sends anyway is read to a bound, then cut.
    discardBody(request, MAX_IGNORED_BODY_BYTES)
    if (!hostAllowed) {
      return plainText(response, 403, 'Host not allowed: use localhost or an IP address.\n')
    }
    if (!url) return plainText(response, 400, 'Bad request URL.\n')
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD')
      return plainText(response, 405, 'Only GET and HEAD are supported.\n')
    }
    const path = url.pathname
    if (path === HEALTH_PATH) return plainText(response, 200, 'ok\n')
    if (path === STATUS_PATH) {
      const body = JSON.stringify(this.#options.status())
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        // Status is public by design, like the stream itself.
        'Access-Control-Allow-Origin': '*'
      })
      return void response.end(request.method === 'HEAD' ? undefined : body)
    }
    if (path === METRICS_PATH) {
      const { metrics } = this.#options
      const body = await metrics.render()
      response.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' })
      return void response.end(request.method === 'HEAD' ? undefined : body)
    }
    if (path === SSE_PATH) {
      if (this.#options.isClosing()) return plainText(response, 503, 'Server shutting down.\n')
      return this.#options.acceptSse(request, response, url)
    }
    if (staticDir) {
      let decoded: string
      try {
        decoded = decodeURIComponent(path)
      } catch {
        return plainText(response, 400, 'Bad request URL.\n')
      }
      if (await serveStaticFile(staticDir, decoded, request, response)) return
    } else if (path === '/') {
      return plainText(response, 200, landingText(request.headers.host ?? 'localhost'))
    }
    plainText(response, 404, 'Not found.\n')
  }
}

/** Where a WebSocket upgrade goes, or the HTTP refusal it gets. */
export type UpgradeRoute =
  { ok: true; kind: WebSocketKind; url: URL } | { ok: false; status: number; reason: string }

/** Judges a WebSocket upgrade request: `Host`, then the path's dialect. */
export function routeUpgrade(
  request: IncomingMessage,
  allowedHostNames: readonly string[],
  closing: boolean
): UpgradeRoute {
  if (closing) return { ok: false, status: 503, reason: 'Server shutting down' }
  if (!isAllowedHost(request.headers.host, allowedHostNames)) {
    return { ok: false, status: 403, reason: 'Host not allowed' }
  }
  const url = parseRequestUrl(request.url)
  if (url && REFERENCE_PATHS.includes(url.pathname)) return { ok: true, kind: 'reference', url }
  if (url && url.pathname === JSON_STREAM_PATH) return { ok: true, kind: 'json', url }
  return { ok: false, status: 404, reason: 'Not found' }
}

/** Answers with a short plain-text body. */
export function plainText(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store'
  })
  response.end(body)
}

function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://localhost')
  } catch {
    return null
  }
}

function landingText(host: string): string {
  return [
    'Bernoulli Stream',
    '',
    `Reference dialect (one "0"/"1" text frame per sample): ws://${host}${REFERENCE_PATH}  (also ws://${host}/)`,
    `JSON protocol v${PROTOCOL_VERSION}: ws://${host}${JSON_STREAM_PATH}`,
    `Server-Sent Events: http://${host}${SSE_PATH}`,
    `Status: http://${host}${STATUS_PATH}   Health: http://${host}${HEALTH_PATH}`,
    ''
  ].join('\n')
}
