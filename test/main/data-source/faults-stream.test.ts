import { request } from 'node:http'
import { connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../support/fake-clock'
import { useStreamServices } from '../../support/service-fixture'
import type { TestClient } from '../../support/test-client'

const { startService, connect } = useStreamServices({ controlToken: null, intervalMs: 1 })

/** Sequence numbers a client got, and how many in its span it did not get. */
function missingIn(client: TestClient): { seen: number[]; missing: number; span: number } {
  const seen = client.samples.map((s) => s.seq)
  const span = seen.at(-1)! - seen[0]! + 1
  return { seen, missing: span - new Set(seen).size, span }
}

/** The first `bytes` of an SSE stream, read with plain HTTP. */
function readSse(url: string, until: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (until(text)) {
          req.destroy()
          resolve(text)
        }
      })
    })
    req.on('error', (error) =>
      error.message.includes('socket hang up') ? undefined : reject(error)
    )
    req.end()
  })
}

/** Steps the stopped sampler by `count` samples through `client` and waits for its ack. */
async function draw(client: TestClient, count: number, id: number): Promise<void> {
  client.send({ type: 'draw', count, id })
  await client.until(
    (c) => c.messages.some((m) => m.type === 'ack' && m.id === id),
    5000,
    `the ack of draw ${id}`
  )
}

/**
 * Pings over `client` and waits for the pong (true) or its close (false): a round trip, so
 * whatever the server wrote to this socket before the pong has arrived.
 */
function pong(client: TestClient): Promise<boolean> {
  return new Promise((resolve) => {
    client.ws.once('pong', () => resolve(true))
    client.ws.once('close', () => resolve(false))
    client.ws.ping()
  })
}

describe('faults on demand (real sockets)', () => {
  it('drop=0.1 on the JSON path loses about 10 % of sequence numbers; a plain client on the same server loses none', async () => {
    const { base, service } = await startService({})
    const faulty = connect(`${base}/v1/stream?drop=0.1&faultseed=123`)
    const plain = connect(`${base}/v1/stream`)
    await Promise.all([faulty.opened, plain.opened])
    await plain.until((c) => c.samples.length >= 4000, 20_000, '4000 samples')
    await faulty.until(
      (c) => (c.samples.at(-1)?.seq ?? 0) >= (plain.samples.at(-1)?.seq ?? Infinity)
    )
    const lossy = missingIn(faulty)
    const clean = missingIn(plain)
    expect(clean.missing).toBe(0)
    const se = Math.sqrt(lossy.span * 0.1 * 0.9)
    expect(Math.abs(lossy.missing - 0.1 * lossy.span)).toBeLessThan(4 * se)
    // Never renumbered: every seq it got is a real one, in order, once.
    expect(lossy.seen).toEqual([...new Set(lossy.seen)].sort((a, b) => a - b))
    const hello = faulty.messages[0]
    expect(hello?.type === 'hello' && hello.faults).toBe('drop=0.1&faultseed=123')
    const plainHello = plain.messages[0]
    expect(plainHello?.type === 'hello' && 'faults' in plainHello).toBe(false)
    expect(service.status().faults?.drop).toBeGreaterThan(0)
  })

  it('keeps replies in their place behind delayed samples: a draw’s ack follows the samples it drew, as on a plain connection', async () => {
    // Before, replies skipped the delay: the ack arrived 500 ms before the samples it announced.
    const clock = new FakeClock()
    const { base, service } = await startService({ clock, autoStart: false })
    const delayed = connect(`${base}/v1/stream?delay=500`)
    const plain = connect(`${base}/v1/stream`)
    await Promise.all([delayed.opened, plain.opened])
    await delayed.until((c) => c.messages.length >= 1, 5000, 'hello')
    delayed.ws.send(JSON.stringify({ type: 'draw', count: 5, id: 1 }))
    await plain.until((c) => c.samples.length === 5, 5000, 'the drawn samples, live')
    expect(delayed.messages.map((m) => m.type)).toEqual(['hello'])
    clock.advance(500)
    await delayed.until((c) => c.messages.length >= 3, 5000, 'samples and ack')
    expect(delayed.messages.map((m) => m.type)).toEqual(['hello', 'samples', 'ack'])
    const ack = delayed.messages[2]
    expect(ack?.type === 'ack' && ack.state.nextSeq).toBe(6)
    expect(service.status().faults?.delay).toBeGreaterThan(0)
  })

  it('drops the same sequence numbers for the same faultseed, on every run', async () => {
    const { base } = await startService({})
    const a = connect(`${base}/v1/stream?drop=0.3&faultseed=9`)
    const b = connect(`${base}/v1/stream?drop=0.3&faultseed=9`)
    await Promise.all([a.opened, b.opened])
    await a.until((c) => c.samples.length >= 500, 10_000)
    await b.until((c) => (c.samples.at(-1)?.seq ?? 0) >= a.samples.at(-1)!.seq)
    const last = Math.min(a.samples.at(-1)!.seq, b.samples.at(-1)!.seq)
    const first = Math.max(a.samples[0]!.seq, b.samples[0]!.seq)
    const window = (c: TestClient) =>
      c.samples.map((s) => s.seq).filter((seq) => seq >= first && seq <= last)
    expect(window(a)).toEqual(window(b))
  })

  it('duplicates on dup=, on the reference dialect too; drop=1 sends no sample at all', async () => {
    const { base } = await startService({})
    const dup = connect(`${base}/v1/stream?dup=0.2`)
    const silent = connect(`${base}/websocket/?drop=1`)
    const reference = connect(`${base}/websocket/`)
    await Promise.all([dup.opened, silent.opened, reference.opened])
    await dup.until((c) => c.samples.length >= 500, 10_000)
    await reference.until((c) => c.frames.length >= 500, 10_000)
    const seqs = dup.samples.map((s) => s.seq)
    const repeats = seqs.filter((seq, i) => i > 0 && seq === seqs[i - 1]).length
    expect(repeats).toBeGreaterThan(0)
    expect(silent.frames).toEqual([])
  })

  it('refuses a bad fault parameter on the handshake with 400 and the reason', async () => {
    const { base, http } = await startService({})
    const client = connect(`${base}/websocket/?drop=2`)
    await expect(client.opened).rejects.toThrow('HTTP 400')
    const response = await fetch(`${http}/v1/events?delay=9-1`)
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('delay must be milliseconds')
  })

  it('applies faults on SSE: drop=1 gets hello and state events but no samples, a plain consumer gets samples', async () => {
    const { http, service } = await startService({ intervalMs: 2 })
    const dropped = readSse(`${http}/v1/events?drop=1`, (t) => t.includes('event: state'))
    await readSse(`${http}/v1/events`, (t) => (t.match(/event: samples/g) ?? []).length >= 5)
    service.setP(0.25)
    const text = await dropped
    expect(text).toContain('event: hello')
    expect(text).not.toContain('event: samples')
    expect(service.status().faults?.drop).toBeGreaterThan(0)
  })

  it('cuts a disconnect= connection abruptly (no close frame), and counts it', async () => {
    const { base, service } = await startService({})
    const client = connect(`${base}/v1/stream?disconnect=0.3`)
    await client.closed
    expect(client.closeCode).toBe(1006)
    expect(service.status().faults?.disconnect).toBe(1)
  })

  it('a stall= connection stops sending and answering pings at its time: a client heartbeat notices', async () => {
    const clock = new FakeClock()
    const { base, service } = await startService({ clock, autoStart: false })
    const stalled = connect(`${base}/v1/stream?stall=0.3`)
    const plain = connect(`${base}/v1/stream`)
    await Promise.all([stalled.opened, plain.opened])
    await stalled.until((c) => c.messages.length >= 1, 5000, 'hello')
    await draw(plain, 3, 1)
    await stalled.until((c) => c.samples.length === 3, 5000, 'the samples drawn before the stall')
    expect(await pong(stalled)).toBe(true)
    clock.advance(299)
    expect(service.status().faults?.stall ?? 0).toBe(0)
    clock.advance(1)
    expect(service.status().faults?.stall).toBe(1)
    // The client's heartbeat pings; nothing answers. Meanwhile the server goes on for others.
    let pongs = 0
    stalled.ws.on('pong', () => pongs++)
    stalled.ws.ping()
    const framesAtStall = stalled.frames.length
    await draw(plain, 4, 2)
    service.setP(0.9)
    await plain.until((c) => c.messages.some((m) => m.type === 'state' && m.state.p === 0.9))
    // One more round trip on the plain socket: anything written to the stalled one is in by now.
    await pong(plain)
    expect(pongs).toBe(0)
    expect(stalled.frames.length).toBe(framesAtStall)
    expect(stalled.samples.map((s) => s.seq)).toEqual([1, 2, 3])
    expect(plain.samples.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('burst= holds every message back and releases it all at once at each period', async () => {
    const clock = new FakeClock()
    const { base, service } = await startService({ clock, autoStart: false })
    const bursty = connect(`${base}/v1/stream?burst=100`)
    const plain = connect(`${base}/v1/stream`)
    await Promise.all([bursty.opened, plain.opened])
    await bursty.until((c) => c.messages.length >= 1, 5000, 'hello')
    await draw(plain, 3, 1)
    await pong(bursty)
    // The hello comes at once; the samples wait for the first burst.
    expect(bursty.messages.map((m) => m.type)).toEqual(['hello'])
    clock.advance(99)
    await pong(bursty)
    expect(bursty.messages.map((m) => m.type)).toEqual(['hello'])
    clock.advance(1)
    await bursty.until((c) => c.samples.length === 3, 5000, 'the first burst')
    expect(bursty.messages.map((m) => m.type)).toEqual(['hello', 'samples'])
    expect(bursty.samples.map((s) => s.seq)).toEqual([1, 2, 3])
    expect(bursty.samples.map((s) => s.value)).toEqual(plain.samples.map((s) => s.value))
    clock.advance(40)
    await draw(plain, 2, 2)
    await pong(bursty)
    expect(bursty.samples).toHaveLength(3)
    clock.advance(60)
    await bursty.until((c) => c.samples.length === 5, 5000, 'the second burst')
    expect(bursty.samples.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5])
    expect(service.status().faults?.burst).toBe(2)
  })

  it('applies faults on the browser-console path `/`: delay holds its "0"/"1" frames, drop=1 sends none, a plain `/` gets them at once', async () => {
    const clock = new FakeClock()
    const { base, service } = await startService({ clock, autoStart: false })
    const delayed = connect(`${base}/?delay=500`)
    const silent = connect(`${base}/?drop=1`)
    const console_ = connect(`${base}/`)
    const control = connect(`${base}/v1/stream`)
    await Promise.all([delayed.opened, silent.opened, console_.opened, control.opened])
    await draw(control, 6, 1)
    await console_.until((c) => c.frames.length === 6, 5000, 'six frames on plain /')
    expect(console_.frames.every((f) => f === '0' || f === '1')).toBe(true)
    expect(console_.frames).toEqual(control.samples.map((s) => String(s.value)))
    await pong(delayed)
    expect(delayed.frames).toEqual([])
    clock.advance(500)
    await delayed.until((c) => c.frames.length === 6, 5000, 'the delayed frames')
    expect(delayed.frames).toEqual(console_.frames)
    await pong(silent)
    expect(silent.frames).toEqual([])
    expect(service.status().faults?.delay).toBeGreaterThan(0)
    expect(service.status().faults?.drop).toBe(6)
  })

  it('leaves a connection without faults byte for byte the reference dialect, beside a faulty one', async () => {
    const { base, info } = await startService({ seed: 4, p: 0.5 })
    const faulty = connect(`${base}/websocket/?dup=0.5&delay=5`)
    await faulty.opened
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const socket = tcpConnect(info.port, '127.0.0.1')
      let received = Buffer.alloc(0)
      socket.on('connect', () =>
        socket.write(
          'GET /websocket/ HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
        )
      )
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk])
        const body = received.indexOf('\r\n\r\n')
        if (body >= 0 && received.length - body - 4 >= 3 * 200) {
          socket.destroy()
          resolve(received.subarray(body + 4, body + 4 + 3 * 200))
        }
      })
      socket.on('error', reject)
    })
    // Nothing but 3-byte text frames "0"/"1": FIN + text, length 1, the digit.
    for (let i = 0; i < bytes.length; i += 3) {
      expect([bytes[i], bytes[i + 1]]).toEqual([0x81, 0x01])
      expect([0x30, 0x31]).toContain(bytes[i + 2])
    }
    await faulty.until((c) => c.frames.length > 200, 10_000)
  })

  it('applies --faults to everyone; a client opts out with faults=none, or overrides a key', async () => {
    const { base } = await startService({ faults: { drop: 1 } })
    const everyone = connect(`${base}/v1/stream`)
    const optOut = connect(`${base}/v1/stream?faults=none`)
    const override = connect(`${base}/v1/stream?drop=0`)
    await Promise.all([everyone.opened, optOut.opened, override.opened])
    await optOut.until((c) => c.samples.length >= 100, 10_000)
    await override.until((c) => c.samples.length >= 100, 10_000)
    expect(everyone.samples).toEqual([])
    const hello = everyone.messages[0]
    expect(hello?.type === 'hello' && hello.faults).toMatch(/^drop=1&faultseed=\d+$/)
  })
})
