/**
 * Where the page connects and how it steers the stream: through the preload bridge inside
 * Electron, or over the same WebSocket in a plain browser served by the headless server.
 */
import type { BernoulliBridge } from '../../../shared/ipc-contract'
import { JSON_STREAM_PATH } from '../../../shared/protocol/messages'

/** A resolved place to connect to. */
export interface ConnectionTarget {
  /** JSON stream URL without a query, e.g. `ws://127.0.0.1:8888/v1/stream`. */
  jsonStreamUrl: string
  /** Reference-dialect URL for external clients, e.g. `ws://127.0.0.1:8888/websocket/`. */
  referenceUrl: string
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
      token: info.controlToken,
      bridge
    }
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return {
    jsonStreamUrl: `${scheme}://${location.host}${JSON_STREAM_PATH}`,
    referenceUrl: `${scheme}://${location.host}/websocket/`,
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
