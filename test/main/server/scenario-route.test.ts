import { describe, expect, it } from 'vitest'
import { openRawHttp } from '../../support/raw-http'
import { useStreamServices } from '../../support/service-fixture'

const { startService } = useStreamServices({ controlToken: 'route-token', autoStart: false })

describe('PUT /v1/scenario (raw sockets)', () => {
  it('answers a refused upload, reads its body to the end and serves the next request on the same connection', async () => {
    const { info } = await startService()
    const peer = openRawHttp(info.port)
    const body = 'x'.repeat(1024)
    peer.socket.write(
      `PUT /v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong-token\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    )
    await peer.received(/E_UNAUTHORIZED/)
    expect(peer.state.received).toMatch(/^HTTP\/1\.1 401 /)
    peer.socket.write('GET /v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await peer.received(/HTTP\/1\.1 200 [\s\S]*"scenario":null/)
    expect(peer.state.closed).toBe(false)
    peer.socket.destroy()
  })

  it('cuts a refused upload whose body goes on past the largest scenario, instead of reading it for ever', async () => {
    // Before, the server drained such a body without end: 282 MB in 6 s from one peer without the token.
    const { info } = await startService()
    const peer = openRawHttp(info.port)
    peer.socket.write(
      'PUT /v1/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wrong-token\r\nTransfer-Encoding: chunked\r\n\r\n'
    )
    await peer.received(/E_UNAUTHORIZED/)
    expect(await peer.sendEndlessBody(4 * 1024 * 1024)).toBeLessThan(4 * 1024 * 1024)
    await peer.closed
  })
})
