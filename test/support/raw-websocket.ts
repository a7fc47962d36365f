import { connect, type Socket } from 'node:net'

/**
 * A WebSocket client on a bare TCP socket, for tests of peers that misbehave below what `ws`
 * lets a client do: it can stop reading (`socket.pause()`) and still write frames.
 */
export async function openRawWebSocket(
  port: number,
  path: string
): Promise<{
  socket: Socket
  /** Writes `count` masked text frames, each holding `text` (at most 125 bytes). */
  sendText(text: string, count?: number): boolean
  closed: Promise<void>
}> {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => undefined)
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  )
  await new Promise<void>((resolve) =>
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) throw new Error('no upgrade')
      resolve()
    })
  )
  return {
    socket,
    closed,
    sendText(text, count = 1) {
      const payload = Buffer.from(text)
      if (payload.length > 125) throw new RangeError('sendText takes at most 125 bytes')
      // FIN + text opcode, MASK bit + length, a zero mask (so the payload goes as is).
      const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload])
      return socket.write(count === 1 ? frame : Buffer.concat(Array(count).fill(frame)))
    }
  }
}
