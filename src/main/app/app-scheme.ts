import { extname, join, sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './renderer-location'

/**
 * What our scheme serves for one request: a file of the built renderer, or a refusal with its
 * HTTP status. Pure, so the rules (host, method, path traversal) are tested without Electron.
 */
export type AppAsset =
  | { kind: 'file'; filePath: string; contentType: string }
  | { kind: 'refused'; status: 400 | 404 | 405; reason: string }

/** Content types of what electron-vite emits into `out/renderer`; anything else is not served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

/**
 * Maps a request on `app://bernoulli/…` to a file under `rendererDir`. `/` is `index.html`.
 * Refuses another host, a method other than GET/HEAD, and any path that could leave
 * `rendererDir` (`..`, encoded slashes or backslashes, NUL) — whatever the URL parser did first.
 * @param requestUrl the full request URL, e.g. `app://bernoulli/assets/index-1a2b.js`.
 * @param rendererDir absolute directory of the built renderer (`out/renderer`).
 */
export function resolveAppAsset(requestUrl: string, method: string, rendererDir: string): AppAsset {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return { kind: 'refused', status: 400, reason: 'not a URL' }
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { kind: 'refused', status: 404, reason: `no such host ${url.host}` }
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return { kind: 'refused', status: 405, reason: `${method} is not served` }
  }
  const segments: string[] = []
  for (const raw of url.pathname.split('/').filter((segment) => segment !== '')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return { kind: 'refused', status: 400, reason: 'bad percent-encoding' }
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      return { kind: 'refused', status: 400, reason: 'path leaves the renderer' }
    }
    segments.push(segment)
  }
  if (segments.length === 0) segments.push('index.html')
  const filePath = join(rendererDir, ...segments)
  if (!filePath.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)) {
    return { kind: 'refused', status: 400, reason: 'path leaves the renderer' }
  }
  const contentType = CONTENT_TYPES[extname(filePath).toLowerCase()]
  if (contentType === undefined) return { kind: 'refused', status: 404, reason: 'not served' }
  return { kind: 'file', filePath, contentType }
}

/**
 * Headers of every response our scheme sends. The policy is set here, by the handler, so it
 * holds whatever the document's own `<meta>` says (the browser enforces both) and does not
 * depend on how Electron treats `file://` loads.
 */
export function appResponseHeaders(
  contentType: string,
  contentSecurityPolicy: string
): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache'
  }
}
