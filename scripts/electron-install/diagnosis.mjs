// Why Electron's installer failed, in one sentence a person can act on. Pure: it reads the
// installer's output, the reports of fetch-reporter.mjs and the environment, nothing else.

const MAX_REASON_LENGTH = 120
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN'])
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
const FALLBACK = 'or run `npm run serve` to use Bernoulli Stream headless with its UI in a browser'
const NETWORK_ADVICE =
  'connect to the internet or set ELECTRON_MIRROR to a reachable mirror; behind a proxy set ' +
  'HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1'

/** Whether this Node can `require()` an ES module, which Electron's installer needs. */
export function canRequireEsm(features = process.features) {
  return features.require_module === true
}

/** The sentence for a Node whose `require()` cannot load ES modules. */
export function oldNodeSentence(version) {
  return (
    `Node ${version} cannot run Electron's installer, which needs require(esm) (Node 20.19+ or ` +
    `22.12+): install Node 22 LTS, the recommended version, and try again, ${FALLBACK}.`
  )
}

/** The proxy this process would use, or null; and whether Electron's downloader honours it. */
export function proxySetting(env) {
  const name = PROXY_VARIABLES.find((key) => env[key])
  if (!name) return null
  const honoured = Boolean(env.ELECTRON_GET_USE_PROXY) && env.ELECTRON_GET_USE_PROXY !== 'false'
  return { name, url: env[name], honoured }
}

/**
 * One sentence saying why the download failed and what to do.
 * @param {object} input
 * @param {string} input.output the installer's stdout and stderr.
 * @param {Array<object>} input.reports fetch-reporter.mjs's messages, in order.
 * @param {Record<string, string|undefined>} input.env the environment the installer ran with.
 * @param {string} input.nodeVersion e.g. `v20.20.2`.
 */
export function diagnose({ output, reports, env, nodeVersion }) {
  if (/ERR_REQUIRE_ESM/.test(output)) return oldNodeSentence(nodeVersion)
  if (/did not match expected checksum|No checksum found in checksum file/.test(output)) {
    return (
      'The downloaded Electron binary does not match its published SHA-256 checksum (a broken ' +
      'download, or a mirror serving other files): try again, and if ELECTRON_MIRROR is set, ' +
      `check that it mirrors the official releases, ${FALLBACK}.`
    )
  }
  const proxy = proxySetting(env)
  const failedResponse = reports.find(
    (report) => report.type === 'response' && report.status >= 400
  )
  if (failedResponse?.status === 407) {
    return (
      `The proxy in ${proxy?.name ?? 'HTTPS_PROXY'} refused the download (HTTP 407, it wants ` +
      `credentials): put them in the proxy URL (http://user:password@host:port) and try again, ${FALLBACK}.`
    )
  }
  if (failedResponse) {
    return (
      `The download server answered HTTP ${failedResponse.status} for ${failedResponse.url}: ` +
      'it has no such Electron build; check ELECTRON_MIRROR (unset it to use the official ' +
      `releases) and try again, ${FALLBACK}.`
    )
  }
  const fetchError = reports.find((report) => report.type === 'fetch-error')
  if (fetchError) {
    const cause = fetchError.cause ?? {}
    const code = cause.code ?? (cause.message || 'fetch failed')
    const target = describeTarget(fetchError.url, cause)
    if (proxy?.honoured) {
      return (
        `Could not download the Electron binary through the proxy ${redact(proxy.url)} from ` +
        `${proxy.name} (${code}): check HTTPS_PROXY, HTTP_PROXY and NO_PROXY and try again, ${FALLBACK}.`
      )
    }
    if (proxy) {
      return (
        `Could not reach ${target} (${code}); ${proxy.name} is set, but Electron's downloader ` +
        `uses a proxy only with ELECTRON_GET_USE_PROXY=1: set it too and try again, ${FALLBACK}.`
      )
    }
    if (OFFLINE_CODES.has(code)) {
      return (
        `Could not download the Electron binary: ${target} cannot be resolved (${code}), so ` +
        `this machine seems to be offline; ${NETWORK_ADVICE}, and try again, ${FALLBACK}.`
      )
    }
    return (
      `Could not download the Electron binary: cannot connect to ${target} (${code}); ` +
      `${NETWORK_ADVICE}, and try again, ${FALLBACK}.`
    )
  }
  const reason = reasonFrom(output)
  const because = reason ? ` (${reason})` : ''
  return `Could not download the Electron binary${because}: ${NETWORK_ADVICE}, and try again, ${FALLBACK}.`
}

function describeTarget(url, cause) {
  let host = cause.host
  try {
    const parsed = new URL(url)
    host ??= parsed.hostname
    if (cause.code !== 'ENOTFOUND' && cause.code !== 'EAI_AGAIN') {
      const port = cause.port ?? (parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
      return `${host}:${port}`
    }
  } catch {
    // Not a URL: report what we have.
  }
  return host ?? url
}

/** A proxy URL without its password, for the log. */
function redact(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.href.replace(/\/$/, '')
  } catch {
    return '(unparsable URL)'
  }
}

/** The installer's own reason, e.g. "fetch failed": the message of the first error it printed. */
export function reasonFrom(output) {
  const lines = output.split('\n').map((text) => text.trim())
  const line =
    lines.find((text) => /^[A-Za-z]*Error:/.test(text)) ?? lines.find((text) => text !== '') ?? ''
  const reason = line.replace(/^(?:[A-Za-z]*Error:\s*)+/, '')
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason
}
