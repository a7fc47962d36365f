import { connect, type Socket } from 'node:net'

/**
 * An HTTP/1.1 connection on a bare TCP socket, for tests of peers that misbehave below what an
 * HTTP client lets one do (a body that never ends, several requests on one connection).
 */
export function openRawHttp(port: number) {
  const socket: Socket = connect(port, '127.0.0.1')
  const state = { received: '', closed: false }
  socket.on('data', (chunk: Buffer) => (state.received += chunk.toString()))
  socket.on('error', () => undefined)
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      state.closed = true
      resolve()
    })
  )
  /** Resolves once what was received matches `pattern`; rejects if the connection closes first. */
  const received = (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(state.received)) return resolve()
        if (state.closed) return reject(new Error(`closed; received ${state.received}`))
        socket.once('data', check)
        socket.once('close', check)
      }
      check()
    })
  /**
   * Sends chunks of a chunked body until the server hangs up or `limitBytes` have gone; resolves
   * to the bytes sent.
   */
  const sendEndlessBody = async (limitBytes: number): Promise<number> => {
    const text = 'y'.repeat(16 * 1024)
    const chunk = `${text.length.toString(16)}\r\n${text}\r\n`
    let sent = 0
    while (!state.closed && sent < limitBytes) {
      await new Promise<void>((resolve) => socket.write(chunk, () => resolve()))
      sent += chunk.length
      // Give the server's answer (a close) a turn of the loop to arrive.
      await new Promise((resolve) => setImmediate(resolve))
    }
    return sent
  }
  return { socket, state, closed, received, sendEndlessBody }
}
