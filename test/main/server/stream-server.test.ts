import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createStreamService } from '../../../src/main/stream-service'
import { FakeClock } from '../../support/fake-clock'
import { SseClient } from '../../support/sse-client'
import { useStreamServices } from '../../support/service-fixture'

const TOKEN = 'test-token-123'
const { startService, connect, track } = useStreamServices({ seed: 99, controlToken: TOKEN })

describe('reference dialect', () => {
  it.each(['/websocket/', '/websocket', '/'])(
    'sends every sample on %s as a bare "0" or "1" text frame',
    async (path) => {
      const { base } = await startService({ intervalMs: 5 })
      const client = connect(base + path)
      await client.opened
      await client.until((c) => c.frames.length >= 20, 5000, '20 frames')
      expect(client.frames.every((f) => f === '0' || f === '1')).toBe(true)
    }
  )

  it('sends the same values as the JSON path, in the same order', async () => {
    const { base } = await startService({ intervalMs: 2, jsonBatchMs: 16 })
    const json = connect(`${base}/v1/stream`)
    await json.opened
    const reference = connect(`${base}/websocket/`)
    await reference.opened
    await reference.until((c) => c.frames.length >= 50, 5000, '50 reference frames')
    const startSeq = json.samples.length
    await json.until((c) => c.samples.length >= startSeq + 80, 5000, 'json samples')
    // The reference client joined a little later; its frames are a contiguous run of the JSON values.
    const jsonValues = json.samples.map((s) => String(s.value)).join('')
    expect(jsonValues).toContain(reference.frames.slice(0, 50).join(''))
  })

  it('ignores inbound frames from reference clients and keeps streaming', async () => {
    const { base } = await startService({ intervalMs: 5 })
    const client = connect(`${base}/websocket/`)
    await client.opened
    client.send('hello')
    client.ws.send(Buffer.from([1, 2, 3]))
    const before = client.frames.length
    await client.until((c) => c.frames.length >= before + 5)
    expect(client.ws.readyState).toBe(client.ws.OPEN)
  })

  it('refuses a WebSocket on an unknown path with 404', async () => {
    const { base } = await startService()
    const client = connect(`${base}/nope`)
    await expect(client.opened).rejects.toThrow('HTTP 404')
  })
})

describe('limits', () => {
  it('closes a JSON client whose frame is over 4 KiB with 1009, unparsed, and keeps the others', async () => {
    const { base } = await startService({ intervalMs: 10 })
    const big = connect(`${base}/v1/stream`)
    const bystander = connect(`${base}/websocket/`)
    await Promise.all([big.opened, bystander.opened])
    // 9 MiB of "[" froze the whole server for seconds while JSON.parse chewed on it.
    big.ws.send('['.repeat(9 * 1024 * 1024))
    await big.closed
    expect(big.closeCode).toBe(1009)
    expect(big.messages.some((m) => m.type === 'error')).toBe(false)
    const before = bystander.frames.length
    await bystander.until((c) => c.frames.length >= before + 3)
  })

  it('takes a JSON frame of exactly 4 KiB (and answers it), closes one byte more with 1009', async () => {
    const { base } = await startService()
    const client = connect(`${base}/v1/stream`)
    await client.opened
    client.ws.send('x'.repeat(4096))
    await client.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'E_BAD_JSON' })
    expect(client.ws.readyState).toBe(client.ws.OPEN)
    client.ws.send('x'.repeat(4097))
    await client.closed
    expect(client.closeCode).toBe(1009)
  })

  it('lets reference clients send up to 10 MiB, as the original server does, and never parses it', async () => {
    const { base } = await startService({ intervalMs: 10 })
    const client = connect(`${base}/websocket/`)
    await client.opened
    client.ws.send('['.repeat(10 * 1024 * 1024))
    // The pong comes only after the server has read everything sent before the ping.
    const pong = new Promise((resolve) => client.ws.once('pong', resolve))
    client.ws.ping()
    await pong
    expect(client.ws.readyState).toBe(client.ws.OPEN)
    const before = client.frames.length
    await client.until((c) => c.frames.length >= before + 3)
    client.ws.send('x'.repeat(10 * 1024 * 1024 + 1))
    await client.closed
    expect(client.closeCode).toBe(1009)
  })

  it('rate-limits control messages per connection with an error reply (fake clock)', async () => {
    const clock = new FakeClock()
    const { base } = await startService({ clock, controlRatePerS: 5, controlBurst: 5 })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    const replies = () => client.messages.filter((m) => m.type === 'ack' || m.type === 'error')
    for (let i = 0; i < 20; i++) client.send({ type: 'set', p: 0.5, id: i, token: TOKEN })
    await client.until(() => replies().length >= 20)
    expect(replies().filter((m) => m.type === 'ack')).toHaveLength(5)
    expect(
      replies()
        .filter((m) => m.type === 'error')
        .every((m) => m.type === 'error' && m.code === 'E_RATE_LIMITED')
    ).toBe(true)
    // One second later the connection may send five more.
    clock.advance(1000)
    for (let i = 20; i < 27; i++) client.send({ type: 'set', p: 0.5, id: i, token: TOKEN })
    await client.until(() => replies().length >= 27)
    expect(replies().filter((m) => m.type === 'ack')).toHaveLength(10)
  })
})

describe('lifecycle', () => {
  it('reports a port in use with E_PORT_IN_USE and a message naming the port', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as AddressInfo).port
    const service = createStreamService({ port })
    await expect(service.listen()).rejects.toMatchObject({
      code: 'E_PORT_IN_USE',
      message: expect.stringContaining(String(port))
    })
    await service.close()
    await new Promise((r) => blocker.close(r))
  })

  it('answers control once shutting down with E_SERVER_CLOSED, before 1001; start() after close() does nothing', async () => {
    const { base, service } = await startService({ intervalMs: 5 })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    const closing = service.close()
    client.send({ type: 'start', id: 9, token: TOKEN })
    await closing
    await client.closed
    expect(client.closeCode).toBe(1001)
    expect(client.messages.at(-1)).toMatchObject({ type: 'error', code: 'E_SERVER_CLOSED', id: 9 })
    expect(service.start().running).toBe(false)
    expect(service.state().running).toBe(false)
  })

  it('lets every reading client have every sample drawn before it closes them', async () => {
    const { base, service } = await startService({ intervalMs: 1 })
    const clients = Array.from({ length: 5 }, () => connect(`${base}/v1/stream`))
    await Promise.all(clients.map((c) => c.until((x) => x.samples.length >= 20)))
    await service.close()
    const lastSeq = service.state().nextSeq - 1
    for (const client of clients) {
      await client.closed
      expect(client.samples.at(-1)!.seq).toBe(lastSeq)
    }
  })

  it('shuts down gracefully: clients get 1001, the port is released, close is idempotent', async () => {
    const { base, service, info } = await startService({ intervalMs: 5 })
    const a = connect(`${base}/websocket/`)
    const b = connect(`${base}/v1/stream`)
    await Promise.all([a.opened, b.opened])
    await Promise.all([service.close(), service.close()])
    await service.close()
    await Promise.all([a.closed, b.closed])
    expect(a.closeCode).toBe(1001)
    expect(b.closeCode).toBe(1001)
    const again = createStreamService({ port: info.port })
    track(again)
    await expect(again.listen()).resolves.toMatchObject({ port: info.port })
  })
})

describe('state events and replays', () => {
  it('reach clients still replaying, right after the last sample drawn before the change (WebSocket and SSE)', async () => {
    const clock = new FakeClock()
    const { base, http, service } = await startService({
      clock,
      intervalMs: 1,
      pingIntervalMs: 3_600_000,
      peerTimeoutMs: 7_200_000
    })
    // Ten minutes at 1 ms: a replay of ~12 MB, more than the sockets in between can hold.
    for (let i = 0; i < 600; i++) clock.advance(1000)
    const ws = connect(`${base}/v1/stream?after=0`)
    await ws.opened
    const wsSocket = (ws.ws as unknown as { _socket: Socket })._socket
    wsSocket.pause()
    const sse = await SseClient.open(`${http}/v1/events?after=0`)
    sse.response.pause()
    await waitUntil(() => service.status().clients.replaying === 2, 'both replays under way')
    const change = service.setP(0.25)
    clock.advance(20)
    service.stop()
    wsSocket.resume()
    sse.response.resume()
    const lastSeq = service.state().nextSeq - 1
    // Only the newest message is looked at while waiting: parsing 12 MB at every frame is slow.
    const lastSeqIn = (message: { type: string; seq?: unknown; values?: unknown } | undefined) =>
      message?.type === 'samples'
        ? (message.seq as number) + (message.values as number[]).length - 1
        : null
    await ws.until(
      (c) =>
        lastSeqIn(
          JSON.parse(c.frames.findLast((f) => f.startsWith('{"type":"samples"')) ?? '{}')
        ) === lastSeq,
      30_000,
      'the WebSocket replay'
    )
    await sse.until(
      (c) => lastSeqIn(c.events.findLast((e) => e.event === 'samples')?.data) === lastSeq,
      30_000,
      'the SSE replay'
    )
    sse.close()
    for (const events of [
      ws.messages.map((m) => ({ type: m.type, message: m as unknown as Record<string, unknown> })),
      sse.events.map((e) => ({ type: e.data.type, message: e.data }))
    ]) {
      const at = events.findIndex(
        (e) => e.type === 'state' && (e.message.state as { p: number }).p === 0.25
      )
      expect(at).toBeGreaterThan(0)
      const before = events
        .slice(0, at)
        .filter((e) => e.type === 'samples')
        .at(-1)!.message
      const lastBefore = (before.seq as number) + (before.values as number[]).length - 1
      expect(lastBefore).toBe(change.nextSeq - 1)
      expect(
        events.filter((e) => e.type === 'state').map((e) => e.message.change as string)
      ).toEqual(['running', 'p', 'running'])
    }
  }, 60_000)
})

async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
