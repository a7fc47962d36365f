/**
 * Where the page connects and how it steers the stream: through the preload bridge inside
 * Electron, or over the same WebSocket in a plain browser served by the headless server.
 */
import type { BernoulliBridge } from '../../../shared/ipc-contract'
import { DEFAULT_PORT, JSON_STREAM_PATH, REFERENCE_PATH } from '../../../shared/protocol/messages'

/** A resolved place to connect to. */
export interface ConnectionTarget {
  /** JSON stream URL without a query, e.g. `ws://127.0.0.1:8888/v1/stream`. */
  jsonStreamUrl: string
  /** Reference-dialect URL for external clients, e.g. `ws://127.0.0.1:8888/websocket/`. */
  referenceUrl: string
  /** HTTP base URL of the server (`/v1/scenario`, `/status`), e.g. `http://127.0.0.1:8888`. */
  httpUrl: string
  /** Control token to put in socket control messages; null when none is known. */
  token: string | null
  /** The Electron bridge, which carries control calls instead of the socket; null in a browser. */
  bridge: BernoulliBridge | null
}

/** The parts of `window.location` used in browser mode. */
export interface PageLocation {
  protocol: string
  host: string
}

/**
 * The server a page without the bridge talks to: the one that served it over http(s), else (a
 * page opened from a file, or the desktop's own `app://` scheme before main answered) the
 * default address, which is a guess.
 */
export function pageServer(location: PageLocation): { httpUrl: string; wsUrl: string } {
  if ((location.protocol === 'http:' || location.protocol === 'https:') && location.host) {
    const ws = location.protocol === 'https:' ? 'wss:' : 'ws:'
    return { httpUrl: `${location.protocol}//${location.host}`, wsUrl: `${ws}//${location.host}` }
  }
  return {
    httpUrl: `http://127.0.0.1:${DEFAULT_PORT}`,
    wsUrl: `ws://127.0.0.1:${DEFAULT_PORT}`
  }
}

/**
 * The reference-dialect URL to show before the target is resolved: the page's own server, or
 * the default port on this machine (the desktop window's page comes from `app://`, which names
 * no server).
 */
export function guessReferenceUrl(location: PageLocation): string {
  if (location.protocol === 'http:' || location.protocol === 'https:')
    return `${pageServer(location).wsUrl}${REFERENCE_PATH}`
  return `ws://localhost:${DEFAULT_PORT}${REFERENCE_PATH}`
}

/**
 * Resolves the target. In Electron it asks main (the port may be chosen at run time); in a
 * browser the page's own host serves both the UI and the stream.
 * @param tabToken the token this tab steers with (from the URL at load, or pasted), browser mode only.
 */
export async function resolveConnectionTarget(
  bridge: BernoulliBridge | null | undefined,
  location: PageLocation,
  tabToken: string | null
): Promise<ConnectionTarget> {
  if (bridge) {
    const info = await bridge.connectionInfo()
    return {
      jsonStreamUrl: info.jsonStreamUrl,
      referenceUrl: info.referenceUrl,
      httpUrl: info.httpUrl,
      token: info.controlToken,
      bridge
    }
  }
  const server = pageServer(location)
  return {
    jsonStreamUrl: `${server.wsUrl}${JSON_STREAM_PATH}`,
    referenceUrl: `${server.wsUrl}${REFERENCE_PATH}`,
    httpUrl: server.httpUrl,
    token: tabToken,
    bridge: null
  }
}

/**
 * `url` with `?after=<seq>&stream=<streamId>`, so the server replays what this page missed since
 * `seq` of that server run (or the whole current run if the server restarted since).
 * @param after last sequence number accounted for, or null on a first connection.
 * @param streamId the run's id from the last hello, or null when none was seen.
 */
export function resumeUrl(url: string, after: number | null, streamId: string | null): string {
  if (after === null) return url
  const parsed = new URL(url)
  parsed.searchParams.set('after', String(after))
  if (streamId !== null) parsed.searchParams.set('stream', streamId)
  return parsed.toString()
}
