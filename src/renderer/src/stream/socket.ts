/**
 * The narrow socket interface the stream client uses, so tests drive it with a fake and only
 * this file touches the browser's WebSocket.
 */

/** Callbacks a socket reports to. */
export interface SocketHandlers {
  open(): void
  /** A frame arrived; text frames are strings, anything else is refused by the client. */
  message(data: unknown): void
  /** The socket closed (after an error too); called once. */
  close(code: number, reason: string): void
}

/** An open or opening socket. */
export interface SocketHandle {
  send(text: string): void
  close(code?: number, reason?: string): void
  /** True when `send` will transmit. */
  readonly isOpen: boolean
}

/** Opens a socket to `url` reporting to `handlers`. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle

/** The browser's WebSocket behind {@link SocketHandle}. */
export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url)
  ws.onopen = () => handlers.open()
  ws.onmessage = (event: MessageEvent) => handlers.message(event.data)
  // An error is always followed by close; reconnection is handled there.
  ws.onerror = () => {}
  ws.onclose = (event: CloseEvent) => handlers.close(event.code, event.reason)
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
    get isOpen() {
      return ws.readyState === WebSocket.OPEN
    }
  }
}
