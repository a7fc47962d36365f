/**
 * Reads the control token the headless server puts in the page URL's fragment
 * (`http://127.0.0.1:8888/#token=…`) and removes it from the address bar, so it does not linger in
 * history, bookmarks or screenshots. Fragments are never sent to the server, which is why the
 * token travels there and not in the query.
 */

/** The parts of `window.location` this reads. */
export interface LocationLike {
  hash: string
  pathname: string
  search: string
}

/** The part of `window.history` this uses. */
export interface HistoryLike {
  replaceState(data: unknown, unused: string, url?: string | URL | null): void
}

/** Longest token accepted, in characters (the server refuses longer ones anyway). */
const MAX_TOKEN_LENGTH = 256

/**
 * Returns the `token` fragment parameter (null when absent or empty) and rewrites the URL without
 * it, keeping any other fragment parameters. Call once at startup.
 */
export function takeTokenFromFragment(location: LocationLike, history: HistoryLike): string | null {
  if (!location.hash.startsWith('#')) return null
  const params = new URLSearchParams(location.hash.slice(1))
  if (!params.has('token')) return null
  const token = params.get('token') ?? ''
  params.delete('token')
  const rest = params.toString()
  history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
  return token.length > 0 && token.length <= MAX_TOKEN_LENGTH ? token : null
}
