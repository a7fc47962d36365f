import { describe, expect, it } from 'vitest'
import type { SamplesMessage } from '../../../src/shared/protocol/messages'
import { FakeClock } from '../../support/fake-clock'
import { openRawWebSocket } from '../../support/raw-websocket'
import { useStreamServices } from '../../support/service-fixture'
import { SseClient } from '../../support/sse-client'
import type { TestClient } from '../../support/test-client'

const TOKEN = 'endpoint-token-1'
const { startService, connect } = useStreamServices({ seed: 5, controlToken: TOKEN })

describe('replies to peers that do not read', () => {
  it('go through the same backpressure as broadcasts: a peer that only sends is dropped', async () => {
    const { info, service } = await startService({
      autoStart: false,
      maxBufferedBytes: 64 * 1024,
      // Every bad frame answered, so that only backpressure can stop the replies.
      errorReplyRatePerS: 1e9,
      errorReplyBurst: 1e9
    })
    const peer = await openRawWebSocket(info.port, '/v1/stream')
    peer.socket.pause()
    // One-byte bad frames, each worth a ~100-byte error reply, until the server gives up on it.
    const deadline = Date.now() + 30_000
    while (service.status().slowConsumersDropped === 0) {
      if (Date.now() > deadline) throw new Error('never dropped')
      if (!peer.sendText('x', 1000)) await new Promise((r) => peer.socket.once('drain', r))
      await new Promise((r) => setImmediate(r))
    }
    expect(service.status()).toMatchObject({ slowConsumersDropped: 1, clients: { json: 0 } })
    peer.socket.destroy()
  }, 60_000)

  it('are limited per connection: a burst, one notice, then the sustained rate (fake clock)', async () => {
    const clock = new FakeClock()
    const { base } = await startService({
      clock,
      autoStart: false,
      errorReplyRatePerS: 10,
      errorReplyBurst: 20
    })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    const errors = () => client.messages.filter((m) => m.type === 'error')
    for (let i = 0; i < 100; i++) client.send('{')
    // A frame that must be answered proves the 100 before it were all read.
    client.send({ type: 'start', id: 'probe', token: TOKEN })
    await client.until((c) => c.messages.some((m) => m.type === 'ack'))
    expect(
      errors()
        .slice(0, 20)
        .every((m) => m.type === 'error' && m.code === 'E_BAD_JSON')
    ).toBe(true)
    expect(errors().slice(20)).toEqual([
      expect.objectContaining({ code: 'E_RATE_LIMITED', id: null })
    ])
    clock.advance(1000)
    for (let i = 0; i < 30; i++) client.send('{')
    client.send({ type: 'stop', id: 'probe-2', token: TOKEN })
    await client.until((c) => c.messages.filter((m) => m.type === 'ack').length >= 2)
    // Ten more (one second's worth), then the notice once more.
    expect(
      errors()
        .slice(21)
        .map((m) => m.type === 'error' && m.code)
    ).toEqual([...Array(10).fill('E_BAD_JSON'), 'E_RATE_LIMITED'])
  })
})

// At 16 ms (the batching window) every sample goes out as it is drawn: counts are exact.
const INTERVAL_MS = 16

/** A service on a fake clock; `draw(n)` draws n samples. */
async function fakeClockService(options: Parameters<typeof startService>[0]) {
  const clock = new FakeClock()
  const started = await startService({ clock, intervalMs: INTERVAL_MS, ...options })
  return { ...started, clock, draw: (n: number) => clock.advance(n * INTERVAL_MS) }
}

const streamIdOf = (client: TestClient) => {
  const hello = client.messages[0]
  if (hello?.type !== 'hello') throw new Error('no hello')
  return hello.streamId
}

describe('lossless resume', () => {
  it('replays everything after the last sequence number, then goes live, with no gap and no duplicate', async () => {
    const { base, draw } = await fakeClockService({})
    const first = connect(`${base}/v1/stream`)
    await first.until((c) => c.frames.length >= 1)
    draw(50)
    await first.until((c) => c.samples.length >= 50)
    first.ws.terminate()
    await first.closed
    const last = first.samples.at(-1)!.seq
    // Drawn while it was away.
    draw(100)
    const second = connect(`${base}/v1/stream?after=${last}&stream=${streamIdOf(first)}`)
    await second.until((c) => c.samples.length >= 100)
    draw(50)
    await second.until((c) => c.samples.length >= 150)
    expect([...first.samples, ...second.samples].map((s) => s.seq)).toEqual(
      Array.from({ length: 200 }, (_, i) => first.samples[0]!.seq + i)
    )
    expect(second.samples[0]!.seq).toBe(last + 1)
  })

  it('says which samples are lost when the gap is older than the buffer', async () => {
    const { base, draw, service } = await fakeClockService({ replayCapacity: 20 })
    const first = connect(`${base}/v1/stream`)
    await first.until((c) => c.frames.length >= 1)
    draw(5)
    await first.until((c) => c.samples.length >= 5)
    first.ws.terminate()
    await first.closed
    const last = first.samples.at(-1)!.seq
    draw(100)
    const second = connect(`${base}/v1/stream?after=${last}&stream=${streamIdOf(first)}`)
    await second.until((c) => c.samples.length >= 20)
    const nextSeq = service.state().nextSeq
    expect(second.messages.filter((m) => m.type === 'gap')).toEqual([
      { type: 'gap', from: last + 1, to: nextSeq - 21 }
    ])
    expect(second.samples.map((s) => s.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => nextSeq - 20 + i)
    )
  })

  it('replays the current run from its start when the client resumes another run', async () => {
    const { base } = await startService({ intervalMs: 5 })
    const client = connect(`${base}/v1/stream?after=123456&stream=someoldrun`)
    await client.until((c) => c.samples.length >= 5)
    expect(client.samples[0]!.seq).toBe(1)
  })

  it('answers a malformed "after" with an error and streams live', async () => {
    const { base } = await startService({ intervalMs: 5 })
    const client = connect(`${base}/v1/stream?after=-3`)
    await client.until((c) => c.samples.length >= 2)
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'E_BAD_MESSAGE' })
  })
})

describe('control is guarded by Origin', () => {
  it('lets any origin read, but a foreign page cannot steer even with the token', async () => {
    const { base, service } = await startService({ intervalMs: 5 })
    const foreign = connect(`${base}/v1/stream`, { origin: 'https://evil.example' })
    await foreign.until((c) => c.samples.length >= 3)
    foreign.send({ type: 'set', p: 0.01, id: 1, token: TOKEN })
    await foreign.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(foreign.messages.find((m) => m.type === 'error')).toMatchObject({
      code: 'E_FORBIDDEN_ORIGIN',
      id: 1
    })
    expect(service.state().p).toBe(0.72)
  })

  it('lets the server’s own origin and allow-listed origins steer', async () => {
    const { base, info, service } = await startService({
      intervalMs: 5,
      allowedOrigins: ['file://']
    })
    const own = connect(`${base}/v1/stream`, { origin: `http://127.0.0.1:${info.port}` })
    const app = connect(`${base}/v1/stream`, { origin: 'file://' })
    await Promise.all([own.opened, app.opened])
    own.send({ type: 'set', p: 0.4, id: 1, token: TOKEN })
    await own.until((c) => c.messages.some((m) => m.type === 'ack'))
    app.send({ type: 'set', p: 0.2, id: 2, token: TOKEN })
    await app.until((c) => c.messages.some((m) => m.type === 'ack'))
    expect(service.state().p).toBe(0.2)
  })
})

describe('token guessing', () => {
  it('is limited per address across connections; a connection that proved the token keeps steering (fake clock)', async () => {
    const clock = new FakeClock()
    const { base, service } = await startService({ clock, autoStart: false })
    const owner = connect(`${base}/v1/stream`)
    await owner.opened
    owner.send({ type: 'set', p: 0.4, id: 'mine', token: TOKEN })
    await owner.until((c) => c.messages.some((m) => m.type === 'ack'))
    // 50 connections, 40 guesses each: reconnecting used to give every one a fresh allowance.
    const guessers = Array.from({ length: 50 }, () => connect(`${base}/v1/stream`))
    await Promise.all(guessers.map((g) => g.opened))
    for (const guesser of guessers) {
      for (let i = 0; i < 40; i++) guesser.send({ type: 'stop', id: i, token: `guess-${i}` })
    }
    const errors = (c: TestClient) => c.messages.filter((m) => m.type === 'error')
    await Promise.all(guessers.map((g) => g.until((c) => errors(c).length >= 40)))
    const codes = guessers.flatMap((g) => errors(g).map((m) => m.type === 'error' && m.code))
    // Only the address's burst of wrong tokens was even compared; the rest were refused unread.
    expect(codes.filter((code) => code === 'E_UNAUTHORIZED')).toHaveLength(10)
    expect(codes.filter((code) => code === 'E_RATE_LIMITED')).toHaveLength(1990)
    owner.send({ type: 'set', p: 0.3, id: 'still mine', token: TOKEN })
    await owner.until((c) => c.messages.some((m) => m.type === 'ack' && m.id === 'still mine'))
    expect(service.state().p).toBe(0.3)
    // A newcomer with the right token waits until the address's budget has refilled a little.
    const newcomer = connect(`${base}/v1/stream`)
    await newcomer.opened
    newcomer.send({ type: 'start', id: 1, token: TOKEN })
    await newcomer.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(errors(newcomer)[0]).toMatchObject({ code: 'E_RATE_LIMITED', id: 1 })
    clock.advance(1000)
    newcomer.send({ type: 'start', id: 2, token: TOKEN })
    await newcomer.until((c) => c.messages.some((m) => m.type === 'ack'))
    expect(service.state().running).toBe(true)
  })
})

describe('step mode: draw', () => {
  it('draws exactly N samples now for every client of every dialect, numbered on, before the ack', async () => {
    const clock = new FakeClock()
    const { base, http, service } = await startService({ clock, autoStart: false, intervalMs: 1 })
    const steer = connect(`${base}/v1/stream`)
    const reference = connect(`${base}/websocket/`)
    const sse = await SseClient.open(`${http}/v1/events`)
    try {
      await Promise.all([steer.until((c) => c.frames.length >= 1), reference.opened])
      await sse.until((c) => c.events.length >= 1)
      steer.send({ type: 'draw', count: 10, id: 'd1', token: TOKEN })
      await steer.until((c) => c.messages.some((m) => m.type === 'ack'))
      const kinds = steer.messages.map((m) => m.type)
      // At 1 ms samples are batched, but the step's samples are flushed before its ack.
      expect(kinds).toEqual(['hello', 'samples', 'ack'])
      expect(steer.samples.map((s) => s.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1))
      expect(new Set(steer.samples.map((s) => s.time))).toEqual(new Set([clock.epochMs()]))
      expect(steer.messages.at(-1)).toMatchObject({
        id: 'd1',
        state: { running: false, nextSeq: 11 }
      })
      steer.send({ type: 'draw', count: 1, id: 'd2', token: TOKEN })
      await steer.until((c) => c.messages.filter((m) => m.type === 'ack').length >= 2)
      await reference.until((c) => c.frames.length >= 11)
      await sse.until((c) => c.samples.length >= 11)
      const values = steer.samples.map((s) => String(s.value))
      expect(reference.frames).toEqual(values)
      expect(sse.samples.map((s) => s.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1))
      expect(service.status()).toMatchObject({ samplesDrawn: 11, replay: { held: 11 } })
      // No state event: only nextSeq moved, as with every sample.
      expect(steer.messages.some((m) => m.type === 'state')).toBe(false)
      // Recorded for resuming clients like every sample.
      const late = connect(`${base}/v1/stream?after=0`)
      await late.until((c) => c.samples.length >= 11)
      expect(late.samples.map((s) => String(s.value))).toEqual(values)
    } finally {
      sse.close()
    }
  })

  it('is refused while running (E_RUNNING), and authorised like every control message', async () => {
    const { base, service } = await startService({ intervalMs: 50 })
    const steer = connect(`${base}/v1/stream`)
    const foreign = connect(`${base}/v1/stream`, { origin: 'https://evil.example' })
    await Promise.all([steer.opened, foreign.opened])
    const errorFor = (client: TestClient, id: string) =>
      client.until((c) => c.messages.some((m) => m.type === 'error' && m.id === id))
    steer.send({ type: 'draw', count: 5, id: 'running', token: TOKEN })
    steer.send({ type: 'draw', count: 5, id: 'no-token' })
    steer.send({ type: 'draw', count: 5000, id: 'too-many', token: TOKEN })
    foreign.send({ type: 'draw', count: 5, id: 'foreign', token: TOKEN })
    await Promise.all([
      errorFor(steer, 'running'),
      errorFor(steer, 'no-token'),
      errorFor(steer, 'too-many'),
      errorFor(foreign, 'foreign')
    ])
    const codeOf = (client: TestClient, id: string) =>
      client.messages.find((m) => m.type === 'error' && m.id === id)
    expect(codeOf(steer, 'running')).toMatchObject({ code: 'E_RUNNING' })
    expect(codeOf(steer, 'no-token')).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(codeOf(steer, 'too-many')).toMatchObject({ code: 'E_BAD_MESSAGE' })
    expect(codeOf(foreign, 'foreign')).toMatchObject({ code: 'E_FORBIDDEN_ORIGIN' })
    expect(service.status().control).toMatchObject({ E_RUNNING: 1 })
  })
})

describe('auth', () => {
  it('acks a connection whose token steers, without changing anything', async () => {
    const { base, service } = await startService({ intervalMs: 20 })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    const before = service.state()
    client.send({ type: 'auth', id: 'a', token: TOKEN })
    await client.until((c) => c.messages.some((m) => m.type === 'ack'))
    expect(client.messages.find((m) => m.type === 'ack')).toMatchObject({
      id: 'a',
      state: { p: before.p, intervalMs: before.intervalMs, running: true }
    })
    expect(client.messages.some((m) => m.type === 'state')).toBe(false)
    expect(service.state()).toMatchObject({ p: before.p, intervalMs: before.intervalMs })
  })

  it.each([
    ['a wrong token', {}, 'stale-token', 'E_UNAUTHORIZED'],
    ['no token', {}, undefined, 'E_UNAUTHORIZED'],
    ['a foreign origin', { origin: 'https://evil.example' }, TOKEN, 'E_FORBIDDEN_ORIGIN']
  ])('answers %s with the gate’s error', async (_what, options, token, code) => {
    const { base } = await startService({ autoStart: false })
    const client = connect(`${base}/v1/stream`, options)
    await client.opened
    client.send({ type: 'auth', id: 'a', token })
    await client.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code, id: 'a' })
  })

  it('acks anyone from an allowed origin when the server takes no token', async () => {
    const { base } = await startService({ controlToken: null, autoStart: false })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    client.send({ type: 'auth', id: 1 })
    await client.until((c) => c.messages.some((m) => m.type === 'ack'))
  })
})

describe('JSON protocol', () => {
  it('greets with the protocol version, the state (seed included) and the stream id', async () => {
    const { base, service } = await startService({ p: 0.3, intervalMs: 250, seed: 99 })
    const client = connect(`${base}/v1/stream`)
    await client.until((c) => c.frames.length >= 1)
    expect(client.messages[0]).toEqual({
      type: 'hello',
      protocol: 1,
      server: expect.stringMatching(/^bernoulli-stream\/\d+\.\d+\.\d+/),
      streamId: service.status().streamId,
      state: {
        p: 0.3,
        intervalMs: 250,
        running: true,
        nextSeq: expect.any(Number),
        seed: 99,
        source: { kind: 'sampler' },
        scenario: null,
        recording: null
      },
      controlRequiresToken: true,
      bindHost: '127.0.0.1'
    })
  })

  it('numbers samples continuously across batches at 1 ms, with timestamps in order', async () => {
    const { base } = await startService({ intervalMs: 1 })
    const client = connect(`${base}/v1/stream`)
    await client.until((c) => c.samples.length >= 500, 10_000, '500 samples')
    const hello = client.messages[0]
    const samples = client.samples
    expect(hello?.type === 'hello' && samples[0]!.seq).toBe(
      hello?.type === 'hello' ? hello.state.nextSeq : -1
    )
    samples.forEach((s, i) => {
      if (i > 0) {
        expect(s.seq).toBe(samples[i - 1]!.seq + 1)
        expect(s.time).toBeGreaterThan(samples[i - 1]!.time)
      }
    })
    const batches = client.messages.filter((m): m is SamplesMessage => m.type === 'samples')
    expect(batches.some((b) => b.values.length > 1)).toBe(true)
    expect(batches.length).toBeLessThan(samples.length)
  })

  it('gives several clients the same samples', async () => {
    const { base } = await startService({ intervalMs: 2 })
    const a = connect(`${base}/v1/stream`)
    const b = connect(`${base}/v1/stream`)
    await Promise.all([a.opened, b.opened])
    await a.until((c) => c.samples.length >= 100)
    await b.until((c) => c.samples.length >= 100)
    const key = (c: TestClient) => new Map(c.samples.map((s) => [s.seq, s.value]))
    const ka = key(a)
    const shared = [...key(b)].filter(([seq]) => ka.has(seq))
    expect(shared.length).toBeGreaterThan(50)
    for (const [seq, value] of shared) expect(ka.get(seq)).toBe(value)
  })

  it('applies control messages with the token, acks them and tells every client', async () => {
    const { base, service, clock, draw } = await fakeClockService({})
    const steer = connect(`${base}/v1/stream`)
    const watcher = connect(`${base}/v1/stream`)
    await Promise.all([steer.opened, watcher.opened])
    steer.send({ type: 'set', p: 0.25, id: 1, token: TOKEN })
    await steer.until((c) => c.messages.some((m) => m.type === 'ack' && m.id === 1))
    expect(service.state().p).toBe(0.25)
    await watcher.until((c) =>
      c.messages.some((m) => m.type === 'state' && m.change === 'p' && m.state.p === 0.25)
    )

    steer.send({ type: 'set', intervalMs: 7, id: 'i', token: TOKEN })
    await watcher.until((c) =>
      c.messages.some(
        (m) => m.type === 'state' && m.change === 'interval' && m.state.intervalMs === 7
      )
    )
    draw(5)
    await watcher.until((c) => c.samples.length >= 5)
    steer.send({ type: 'stop', id: 2, token: TOKEN })
    await watcher.until((c) =>
      c.messages.some((m) => m.type === 'state' && m.change === 'running' && !m.state.running)
    )
    const countAfterStop = watcher.samples.length
    // A second of the clock passes, then a round trip: nothing was drawn meanwhile.
    clock.advance(1000)
    steer.send({ type: 'auth', id: 'probe', token: TOKEN })
    await steer.until((c) => c.messages.some((m) => m.type === 'ack' && m.id === 'probe'))
    expect(watcher.samples.length).toBe(countAfterStop)
    steer.send({ type: 'start', id: 3, token: TOKEN })
    await steer.until((c) => c.messages.some((m) => m.type === 'ack' && m.id === 3))
    clock.advance(4 * 7 + 16)
    await watcher.until((c) => c.samples.length > countAfterStop + 3)
    // The state event comes after every sample drawn before the change.
    const messages = watcher.messages
    const stopAt = messages.findIndex(
      (m) => m.type === 'state' && m.change === 'running' && !m.state.running
    )
    const stopEvent = messages[stopAt]
    const lastBefore = messages
      .slice(0, stopAt)
      .filter((m): m is SamplesMessage => m.type === 'samples')
      .at(-1)!
    expect(stopEvent?.type === 'state' && stopEvent.state.nextSeq).toBe(
      lastBefore.seq + lastBefore.values.length
    )
  })

  it.each([
    ['not JSON', '{nope', 'E_BAD_JSON'],
    ['an array', '[1,2]', 'E_UNKNOWN_TYPE'],
    ['an unknown type', '{"type":"explode"}', 'E_UNKNOWN_TYPE'],
    ['p out of range', `{"type":"set","p":1.5,"token":"${TOKEN}"}`, 'E_INVALID_P'],
    ['p as a string', `{"type":"set","p":"0.5","token":"${TOKEN}"}`, 'E_INVALID_P'],
    ['interval 0', `{"type":"set","intervalMs":0,"token":"${TOKEN}"}`, 'E_INVALID_INTERVAL'],
    ['an empty set', `{"type":"set","token":"${TOKEN}"}`, 'E_BAD_MESSAGE'],
    ['no token', '{"type":"stop"}', 'E_UNAUTHORIZED'],
    ['a wrong token', '{"type":"stop","token":"guess"}', 'E_UNAUTHORIZED'],
    ['a polluting key', `{"type":"set","__proto__":{"p":0.1},"token":"${TOKEN}"}`, 'E_BAD_MESSAGE']
  ])('answers %s with an error reply and keeps serving', async (_what, frame, code) => {
    const { base, service } = await startService({ intervalMs: 10, p: 0.6 })
    const bad = connect(`${base}/v1/stream`)
    const bystander = connect(`${base}/v1/stream`)
    await Promise.all([bad.opened, bystander.opened])
    bad.send(frame)
    await bad.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(bad.messages.find((m) => m.type === 'error')).toMatchObject({ type: 'error', code })
    const before = bystander.samples.length
    await bystander.until((c) => c.samples.length >= before + 3)
    await bad.until((c) => c.samples.length >= 3)
    expect(service.state()).toMatchObject({ p: 0.6, running: true, intervalMs: 10 })
    expect(({} as Record<string, unknown>).p).toBeUndefined()
  })

  it('refuses binary frames on the JSON path', async () => {
    const { base } = await startService()
    const client = connect(`${base}/v1/stream`)
    await client.opened
    client.ws.send(Buffer.from('{"type":"stop"}'))
    await client.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({
      code: 'E_BINARY_NOT_SUPPORTED'
    })
  })

  it('echoes the request id in error replies', async () => {
    const { base } = await startService()
    const client = connect(`${base}/v1/stream`)
    await client.opened
    client.send({ type: 'set', p: -1, id: 'abc', token: TOKEN })
    await client.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({
      id: 'abc',
      code: 'E_INVALID_P'
    })
  })
})
