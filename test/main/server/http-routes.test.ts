import { request as httpRequest, type IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { routeUpgrade } from '../../../src/main/server/http-routes'
import { StreamServer } from '../../../src/main/server/stream-server'
import { FakeClock } from '../../support/fake-clock'
import { openRawHttp } from '../../support/raw-http'
import { useStreamServices } from '../../support/service-fixture'

const { startService, connect } = useStreamServices({ seed: 99, controlToken: 'routes-token-1' })

function get(
  url: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

const request = (url: string, host = '127.0.0.1:8888') =>
  ({ url, headers: { host } }) as unknown as IncomingMessage

describe('routeUpgrade', () => {
  it.each([
    ['/websocket/', 'reference'],
    ['/websocket', 'reference'],
    ['/', 'reference'],
    ['/websocket/?x=1', 'reference'],
    ['/v1/stream', 'json'],
    ['/v1/stream?after=5&stream=abc', 'json']
  ])('sends %s to the %s dialect', (url, kind) => {
    expect(routeUpgrade(request(url), [], false)).toMatchObject({ ok: true, kind })
  })

  it.each([
    ['an unknown path', request('/v1/events'), false, 404],
    ['a foreign Host', request('/websocket/', 'evil.example'), false, 403],
    ['any request while closing', request('/v1/stream'), true, 503]
  ])('refuses %s', (_what, req, closing, status) => {
    expect(routeUpgrade(req, [], closing)).toMatchObject({ ok: false, status })
  })
})

describe('a bug in a request handler', () => {
  const servers: StreamServer[] = []
  afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())))

  it('is logged and answered 500, and the server keeps serving', async () => {
    const logged: string[] = []
    let broken = true
    const server = new StreamServer({
      port: 0,
      clock: new FakeClock(),
      streamId: 'run',
      serverName: 'test',
      controlToken: null,
      logError: (context, error) => logged.push(`${context}: ${(error as Error).message}`),
      controls: {
        state: () => ({ p: 0.5, intervalMs: 100, running: false, nextSeq: 1 }),
        samplesDrawn: () => {
          if (broken) throw new Error('boom')
          return 0
        },
        start: () => undefined,
        stop: () => undefined,
        set: () => undefined,
        draw: () => undefined,
        reseed: () => undefined,
        scenario: () => null,
        loadScenario: () => undefined,
        clearScenario: () => undefined
      }
    })
    servers.push(server)
    const { port } = await server.listen()
    const failed = await fetch(`http://127.0.0.1:${port}/status`)
    expect(failed.status).toBe(500)
    expect(await failed.text()).toBe('Internal server error.\n')
    expect(logged).toEqual(['GET /status: boom'])
    broken = false
    expect((await fetch(`http://127.0.0.1:${port}/status`)).status).toBe(200)
  })
})

describe('HTTP endpoints', () => {
  it('answers /healthz and a /status document that counts clients', async () => {
    const { base, http, service } = await startService({ intervalMs: 5 })
    const a = connect(`${base}/websocket/`)
    const b = connect(`${base}/v1/stream`)
    await Promise.all([a.opened, b.opened])
    await a.until((c) => c.frames.length >= 5)
    expect(await get(`${http}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' })
    const status = await get(`${http}/status`)
    expect(status.status).toBe(200)
    const body = JSON.parse(status.body)
    expect(body).toMatchObject({
      protocol: 1,
      streamId: service.status().streamId,
      state: { p: 0.72, intervalMs: 5, running: true },
      clients: {
        reference: 1,
        json: 1,
        sse: 0,
        total: 2,
        byPath: { '/websocket/': 1, '/v1/stream': 1 }
      },
      slowConsumersDropped: 0,
      replay: { held: body.samplesDrawn, capacity: 600_000 }
    })
    expect(body.bytesSent).toBeGreaterThan(body.deliveries)
    // Reference frames are 3 bytes each; the JSON client got at least its hello.
    expect(body.sent.reference.bytes).toBe(3 * body.sent.reference.frames)
    expect(body.sent.reference.frames).toBeGreaterThanOrEqual(5)
    expect(body.sent.json.frames).toBeGreaterThanOrEqual(1)
    expect(body.sent.sse).toEqual({ frames: 0, bytes: 0 })
    expect(body.deliveries).toBe(
      body.sent.reference.frames + body.sent.json.frames + body.sent.sse.frames
    )
    expect(body.samplesDrawn).toBeGreaterThanOrEqual(5)
    expect(body.deliveries).toBeGreaterThanOrEqual(5)
    expect(body.uptimeS).toBeGreaterThan(0)
  })

  it('refuses a Host header that is not localhost or an IP (DNS rebinding), on HTTP and WebSocket', async () => {
    const { http, base } = await startService()
    expect((await get(`${http}/status`, { Host: 'attacker.example:8888' })).status).toBe(403)
    const client = connect(`${base}/v1/stream`, { headers: { Host: 'attacker.example' } })
    await expect(client.opened).rejects.toThrow('HTTP 403')
    expect((await get(`${http}/status`, { Host: 'localhost:1234' })).status).toBe(200)
  })

  it.each([
    ['GET /status', '127.0.0.1', 200],
    ['POST /status', '127.0.0.1', 405],
    ['GET /', '127.0.0.1', 200],
    ['GET /status', 'evil.example', 403]
  ])(
    'answers %s (Host %s) with %i and cuts a body that never ends, instead of reading it for ever',
    async (line, host, status) => {
      // Before, every path but /v1/scenario read such a body without end (~55 MB/s per peer).
      const { info } = await startService()
      const peer = openRawHttp(info.port)
      peer.socket.write(`${line} HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n`)
      await peer.received(new RegExp(`^HTTP/1\\.1 ${status} `))
      expect(await peer.sendEndlessBody(4 * 1024 * 1024)).toBeLessThan(4 * 1024 * 1024)
      await peer.closed
    }
  )

  it('reads a short body a GET did not need to its end, and serves the next request on the connection', async () => {
    const { info } = await startService()
    const peer = openRawHttp(info.port)
    peer.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello')
    peer.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await peer.received(/^HTTP\/1\.1 200 [\s\S]*ok\n[\s\S]*HTTP\/1\.1 200 [\s\S]*ok\n/)
    expect(peer.state.closed).toBe(false)
    peer.socket.destroy()
  })

  it('answers unknown paths with 404 and other methods with 405', async () => {
    const { http } = await startService()
    expect((await get(`${http}/missing`)).status).toBe(404)
    const res = await fetch(`${http}/status`, { method: 'POST' })
    expect(res.status).toBe(405)
  })
})
