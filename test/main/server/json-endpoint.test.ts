import { describe, expect, it } from 'vitest'
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

const streamIdOf = (client: TestClient) => {
  const hello = client.messages[0]
  if (hello?.type !== 'hello') throw new Error('no hello')
  return hello.streamId
}

describe('lossless resume', () => {
  it('replays everything after the last sequence number, then goes live, with no gap and no duplicate', async () => {
    const { base } = await startService({ intervalMs: 2 })
    const first = connect(`${base}/v1/stream`)
    await first.until((c) => c.samples.length >= 50)
    first.ws.terminate()
    const kept = first.samples
    const last = kept.at(-1)!.seq
    await new Promise((r) => setTimeout(r, 150))
    const second = connect(`${base}/v1/stream?after=${last}&stream=${streamIdOf(first)}`)
    await second.until((c) => c.samples.length >= 150)
    const all = [...kept, ...second.samples]
    all.forEach((s, i) => expect(s.seq).toBe(all[0]!.seq + i))
    // What was missed while away was replayed, not lost.
    expect(second.samples[0]!.seq).toBe(last + 1)
  })

  it('says which samples are lost when the gap is older than the buffer', async () => {
    const { base } = await startService({ intervalMs: 2, replayCapacity: 20 })
    const first = connect(`${base}/v1/stream`)
    await first.until((c) => c.samples.length >= 5)
    first.ws.terminate()
    const last = first.samples.at(-1)!.seq
    await new Promise((r) => setTimeout(r, 200))
    const second = connect(`${base}/v1/stream?after=${last}&stream=${streamIdOf(first)}`)
    await second.until((c) => c.samples.length >= 30)
    const gap = second.messages.find((m) => m.type === 'gap')
    expect(gap).toMatchObject({ type: 'gap', from: last + 1 })
    const firstReplayed = second.samples[0]!.seq
    expect(gap?.type === 'gap' && gap.to).toBe(firstReplayed - 1)
    second.samples.forEach((s, i) => expect(s.seq).toBe(firstReplayed + i))
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
