import { connect as connectTcp, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { useStreamServices } from '../../support/service-fixture'

const { startService } = useStreamServices({ controlToken: 'route-token', autoStart: false })

/** A raw HTTP/1.1 connection: what it has received, and when it closed. */
function rawConnection(port: number) {
  const socket: Socket = connectTcp(port, '127.0.0.1')
  const state = { received: '', closed: false }
  socket.on('data', (chunk) => (state.received += chunk.toString()))
  socket.on('error', () => undefined)
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      state.closed = true
      resolve()
    })
  )
  const receivedMatch = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(state.received)) return resolve()
        if (state.closed) return reject(new Error(`closed; received ${state.received}`))
        socket.once('data', check)
        socket.once('close', check)
      }
      check()
    })
  return { socket, state, closed, receivedMatch }
}

const chunked = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`

describe('PUT /v1/scenario (raw sockets)', () => {
  it('answers a refused upload, reads its body to the end and serves the next request on the same connection', async () => {
    const { info } = await startService()
    const peer = rawConnection(info.port)
    const body = 'x'.repeat(1024)
    peer.socket.write(
      `PUT /v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong-token\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    )
    await peer.receivedMatch(/E_UNAUTHORIZED/)
    expect(peer.state.received).toMatch(/^HTTP\/1\.1 401 /)
    peer.socket.write('GET /v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await peer.receivedMatch(/HTTP\/1\.1 200 [\s\S]*"scenario":null/)
    expect(peer.state.closed).toBe(false)
    peer.socket.destroy()
  })

  it('cuts a refused upload whose body goes on past the largest scenario, instead of reading it for ever', async () => {
    // Before, the server drained such a body without end: 282 MB in 6 s from one peer without the token.
    const { info } = await startService()
    const peer = rawConnection(info.port)
    peer.socket.write(
      'PUT /v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong-token\r\nTransfer-Encoding: chunked\r\n\r\n'
    )
    await peer.receivedMatch(/E_UNAUTHORIZED/)
    const chunk = chunked('y'.repeat(16 * 1024))
    let sent = 0
    // Write until the server hangs up; it must do so after about 128 KiB, not 4 MiB.
    while (!peer.state.closed && sent < 4 * 1024 * 1024) {
      await new Promise<void>((resolve) => peer.socket.write(chunk, () => resolve()))
      sent += chunk.length
      if (sent > 512 * 1024) await Promise.race([peer.closed, new Promise((r) => setImmediate(r))])
    }
    await Promise.race([
      peer.closed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('never closed')), 5000))
    ])
    expect(sent).toBeLessThan(4 * 1024 * 1024)
  })
})
