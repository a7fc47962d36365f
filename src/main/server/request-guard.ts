import { isIP } from 'node:net'

/**
 * Whether a request's `Host` header names this server in a way a DNS-rebinding page cannot
 * fake: `localhost`, an IP literal, or a name the operator allowed explicitly.
 * @param hostHeader the raw header; undefined (absent) is refused.
 * @param allowedNames extra host names (lower case, no port), e.g. for a LAN DNS name.
 */
export function isAllowedHost(
  hostHeader: string | undefined,
  allowedNames: readonly string[] = []
): boolean {
  if (!hostHeader) return false
  const hostname = hostnameOf(hostHeader)
  if (hostname === null) return false
  if (hostname === 'localhost' || isIP(hostname) !== 0) return true
  return allowedNames.includes(hostname)
}

/** The host name of a `Host` header, lower case, without port or IPv6 brackets; null if malformed. */
export function hostnameOf(hostHeader: string): string | null {
  const value = hostHeader.trim().toLowerCase()
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    if (end < 0) return null
    const rest = value.slice(end + 1)
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null
    return value.slice(1, end)
  }
  const match = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value)
  return match ? match[1]! : null
}

/**
 * Whether a connection may steer the stream, judged by its `Origin` header. No Origin means a
 * non-browser client (a script, the reference clients), which the token alone guards. A browser
 * page may steer only from this server's own origin or an origin on the allow-list.
 * @param origin the raw `Origin` header, or undefined when absent.
 * @param hostHeader the request's (already validated) `Host` header.
 * @param allowedOrigins exact origins allowed besides our own, e.g. `app://bernoulli` for the desktop app.
 */
export function isAllowedControlOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  allowedOrigins: readonly string[]
): boolean {
  if (origin === undefined) return true
  if (allowedOrigins.includes(origin)) return true
  return hostHeader !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`
}
