import type { ConnectionInfo } from '../../shared/ipc-contract'

/**
 * The `webPreferences` our window is created with. Declared here rather than imported from
 * Electron so this module stays pure; it is structurally a subset of Electron's `WebPreferences`.
 */
export interface HardenedWebPreferences {
  /** Absolute path of the CommonJS preload (`out/preload/index.cjs`); a sandboxed preload cannot be ESM. */
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  /** Devtools stay available: the page holds nothing the user may not see. */
  devTools: boolean
  spellcheck: false
}

/**
 * Builds the window's `webPreferences`: the page gets no Node, runs in Chromium's sandbox, and
 * sees the bridge through an isolated world only.
 * @param preloadPath absolute path of the preload bundle; must end in `.cjs`.
 * @throws {TypeError} when `preloadPath` is not an absolute `.cjs` path (programmer misuse).
 */
export function buildWebPreferences(preloadPath: string): HardenedWebPreferences {
  if (!/^(\/|[A-Za-z]:[\\/])/.test(preloadPath) || !preloadPath.endsWith('.cjs')) {
    throw new TypeError(`preload must be an absolute path to a .cjs bundle, got ${preloadPath}`)
  }
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    devTools: true,
    spellcheck: false
  }
}

/** Inputs of {@link buildContentSecurityPolicy}. */
export interface CspInput {
  /**
   * Origins the page may connect to: our own stream server, e.g. `ws://127.0.0.1:8888` and
   * `http://127.0.0.1:8888`. See {@link serverConnectSources}.
   */
  connectSources: readonly string[]
  /** electron-vite's dev server (`http://localhost:5173`) while developing; its HMR socket is allowed too. */
  devServerUrl?: string | undefined
}

/**
 * The Content-Security-Policy of the renderer. Scripts and styles only from the app itself (no
 * inline, no eval); connections only to our stream server (and the dev server in development);
 * no frames, plugins, forms or base-URL tricks.
 * In development only, inline styles are allowed: Vite injects each module's CSS as a `<style>`
 * element for hot reload. The production build extracts CSS to a file.
 * @throws {TypeError} when a connect source is not a bare ws/http origin (programmer misuse:
 *   anything else could widen the policy, e.g. a `*` or a `;`).
 */
export function buildContentSecurityPolicy(input: CspInput): string {
  const connect = input.connectSources.map(checkOrigin)
  const styles = ["'self'"]
  if (input.devServerUrl !== undefined) {
    const dev = new URL(checkOrigin(new URL(input.devServerUrl).origin))
    connect.push(dev.origin, `ws://${dev.host}`)
    styles.push("'unsafe-inline'")
  }
  if (connect.length === 0)
    throw new TypeError('connectSources must name at least the stream server')
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', styles],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', [...new Set(connect)]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['worker-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]]
  ]
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ')
}

/**
 * The origins of our stream server the renderer connects to (WebSocket and HTTP), taken from
 * what the server reports so the policy follows the port actually bound.
 */
export function serverConnectSources(
  info: Pick<ConnectionInfo, 'jsonStreamUrl' | 'httpUrl'>
): string[] {
  const ws = new URL(info.jsonStreamUrl)
  const http = new URL(info.httpUrl)
  return [...new Set([`${ws.protocol}//${ws.host}`, `${http.protocol}//${http.host}`])]
}

/**
 * Response headers with our policy added. An existing policy is kept next to ours (the browser
 * enforces both), so a header can only tighten what the page may do, never loosen it.
 */
export function withContentSecurityPolicy(
  headers: Readonly<Record<string, string | string[]>> | undefined,
  policy: string
): Record<string, string[]> {
  const result: Record<string, string[]> = {}
  let cspKey = 'Content-Security-Policy'
  for (const [name, value] of Object.entries(headers ?? {})) {
    result[name] = Array.isArray(value) ? [...value] : [value]
    if (name.toLowerCase() === 'content-security-policy') cspKey = name
  }
  result[cspKey] = [...(result[cspKey] ?? []), policy]
  return result
}

/**
 * Origins whose https links may open in the user's browser. Empty on purpose: the UI links
 * nowhere today. Add an origin here, deliberately, when it does.
 */
export const EXTERNAL_LINK_ORIGINS: readonly string[] = []

/**
 * Whether a link the page tried to open may go to the system browser: https only, and only to
 * an allow-listed origin. Everything else is dropped.
 */
export function isAllowedExternalUrl(
  url: string,
  allowedOrigins: readonly string[] = EXTERNAL_LINK_ORIGINS
): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === 'https:' && parsed.username === '' && allowedOrigins.includes(parsed.origin)
  )
}

const ORIGIN_PATTERN =
  /^(wss?|https?):\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^(wss?|https?):\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

function checkOrigin(origin: string): string {
  if (!ORIGIN_PATTERN.test(origin)) {
    throw new TypeError(
      `a connect source must be a ws/http origin without path, got ${JSON.stringify(origin)}`
    )
  }
  return origin
}
