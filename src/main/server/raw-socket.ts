import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'

/**
 * The TCP socket under a server-side `ws` WebSocket. `ws` keeps it in `_socket` (not public API,
 * stable since ws 1.x); throws at once, rather than failing silently, if that ever changes.
 */
export function rawSocketOf(ws: WebSocket): Duplex {
  const socket = (ws as unknown as { _socket?: Duplex })._socket
  if (!socket || typeof socket.write !== 'function') {
    throw new Error(
      'ws no longer exposes its socket as _socket: pre-encoded broadcasts need updating'
    )
  }
  return socket
}
