import { describe, expect, it } from 'vitest'
import { bernoulliAt } from '../../../src/main/random/counter-random'
import { useStreamServices } from '../../support/service-fixture'

const TOKEN = 'reproducible-token'
const { startService, connect } = useStreamServices({ controlToken: TOKEN, intervalMs: 1 })

/** The first `count` samples of a run, from seq 1 (a resume from 0 replays what was drawn). */
async function firstSamples(base: string, count: number) {
  const client = connect(`${base}/v1/stream?after=0`)
  await client.until((c) => c.samples.length >= count, 10_000, `${count} samples`)
  return client.samples.slice(0, count).map((s) => [s.seq, s.value])
}

describe('reproducible streams (real sockets)', () => {
  it('gives identical samples for the same seed, different ones for another', async () => {
    const [a, b, c] = await Promise.all([
      startService({ seed: 7, p: 0.4 }),
      startService({ seed: 7, p: 0.4 }),
      startService({ seed: 8, p: 0.4 })
    ])
    const [first, second, other] = await Promise.all([
      firstSamples(a.base, 500),
      firstSamples(b.base, 500),
      firstSamples(c.base, 500)
    ])
    expect(first.map(([seq]) => seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
    expect(second).toEqual(first)
    expect(other).not.toEqual(first)
    // The value of sample n is the documented pure function of (seed, n, p).
    expect(first).toEqual(first.map(([seq]) => [seq, bernoulliAt(7, seq!, 0.4)]))
  })

  it('shows the seed in hello and /status, and draws a random one when none is given', async () => {
    const { base, http } = await startService({})
    const client = connect(`${base}/v1/stream`)
    await client.until((c) => c.frames.length >= 1)
    const hello = client.messages[0]
    const seed = hello?.type === 'hello' ? hello.state.seed : undefined
    expect(seed).toEqual(expect.any(Number))
    const status = (await (await fetch(`${http}/status`)).json()) as { state: { seed: number } }
    expect(status.state.seed).toBe(seed)
  })

  it('reseeds from the next sample: values then match a run started with that seed', async () => {
    const { base } = await startService({ seed: 1, p: 0.5 })
    const client = connect(`${base}/v1/stream`)
    await client.until((c) => c.samples.length >= 50, 10_000, 'samples')
    client.ws.send(JSON.stringify({ type: 'reseed', seed: 42, id: 'r', token: TOKEN }))
    await client.until((c) => c.messages.some((m) => m.type === 'ack' && m.id === 'r'), 5000, 'ack')
    const messages = client.messages
    const ack = messages.find((m) => m.type === 'ack')!
    const event = messages.find((m) => m.type === 'state' && m.change === 'seed')
    expect(ack.type === 'ack' && ack.state.seed).toBe(42)
    expect(event).toBeDefined()
    const from = ack.type === 'ack' ? ack.state.nextSeq : 0
    await client.until(
      (c) => c.samples.some((s) => s.seq >= from + 200),
      10_000,
      'samples after the reseed'
    )
    const after = client.samples.filter((s) => s.seq >= from)
    expect(after.length).toBeGreaterThanOrEqual(200)
    for (const s of after) expect(s.value).toBe(bernoulliAt(42, s.seq, 0.5))
    const before = client.samples.filter((s) => s.seq < from)
    for (const s of before) expect(s.value).toBe(bernoulliAt(1, s.seq, 0.5))
  })

  it('refuses a reseed without the token and a bad seed, with stable codes', async () => {
    const { base } = await startService({ seed: 3 })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    client.ws.send(JSON.stringify({ type: 'reseed', seed: 5, id: 1, token: 'wrong-token' }))
    client.ws.send(JSON.stringify({ type: 'reseed', seed: 0, id: 2, token: TOKEN }))
    await client.until((c) => c.messages.filter((m) => m.type === 'error').length >= 2)
    const errors = client.messages.filter((m) => m.type === 'error')
    expect(errors.map((e) => e.type === 'error' && [e.id, e.code])).toEqual([
      [1, 'E_UNAUTHORIZED'],
      [2, 'E_INVALID_SEED']
    ])
  })
})
