import type { IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { routeUpgrade } from '../../../src/main/server/http-routes'
import { StreamServer } from '../../../src/main/server/stream-server'
import { FakeClock } from '../../support/fake-clock'

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
        draw: () => undefined
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
