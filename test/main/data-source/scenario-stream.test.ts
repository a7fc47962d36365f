import { describe, expect, it } from 'vitest'
import type { ServerMessage } from '../../../src/shared/protocol/messages'
import { FakeClock } from '../../support/fake-clock'
import { useStreamServices } from '../../support/service-fixture'
import type { TestClient } from '../../support/test-client'

const TOKEN = 'scenario-token'
const { startService, connect } = useStreamServices({ controlToken: TOKEN })

type Sample = { seq: number; value: number; time: number }

/** The messages in order, samples flattened to one entry per sequence number. */
function timeline(client: TestClient): Array<Sample | ServerMessage> {
  return client.messages.flatMap((m): Array<Sample | ServerMessage> =>
    m.type === 'samples'
      ? m.values.map((value, i) => ({ seq: m.seq + i, value, time: m.times[i]! }))
      : [m]
  )
}

async function run(
  scenario: unknown,
  options: { intervalMs: number; advanceMs: number; until: number }
) {
  const clock = new FakeClock()
  const { base, service } = await startService({
    clock,
    intervalMs: options.intervalMs,
    autoStart: false,
    scenario: { text: JSON.stringify(scenario), name: 'test.json' }
  })
  const client = connect(`${base}/v1/stream`)
  await client.until((c) => c.frames.length >= 1)
  service.start()
  for (let t = 0; t < options.advanceMs; t += 50) clock.advance(50)
  await client.until(
    (c) => c.samples.some((s) => s.seq >= options.until),
    5000,
    `seq ${options.until}`
  )
  return { client, clock, service, epoch: clock.epochBaseMs }
}

describe('scenarios on a live stream (real sockets, fake clock)', () => {
  it('runs the minimal form: the change lands on the sample due at 2 s, announced right before it', async () => {
    const { client } = await run(
      {
        steps: [
          { at: 0, p: 1 },
          { at: 2, p: 0 }
        ]
      },
      { intervalMs: 100, advanceMs: 3000, until: 30 }
    )
    const events = timeline(client)
    const change = events.findIndex((e) => 'type' in e && e.type === 'state' && e.change === 'p')
    expect(change).toBeGreaterThan(0)
    const before = events
      .slice(0, change)
      .filter((e): e is { seq: number; value: number; time: number } => 'seq' in e)
    const after = events
      .slice(change + 1)
      .filter((e): e is { seq: number; value: number; time: number } => 'seq' in e)
    // Sample 20 is due at 2000 ms: the first with the new p.
    expect(before.at(-1)?.seq).toBe(19)
    expect(after[0]?.seq).toBe(20)
    expect(before.every((s) => s.value === 1)).toBe(true)
    expect(after.every((s) => s.value === 0)).toBe(true)
    const state = events[change] as ServerMessage
    expect(state.type === 'state' && state.state).toMatchObject({
      p: 0,
      scenario: { step: 2, steps: 2, done: true }
    })
  })

  it('counts samples in a samples scenario: p changes at the 51st sample', async () => {
    const { client } = await run(
      {
        unit: 'samples',
        steps: [
          { at: 0, p: 0 },
          { at: 50, p: 1 }
        ]
      },
      { intervalMs: 10, advanceMs: 1000, until: 80 }
    )
    const samples = client.samples
    expect(samples.filter((s) => s.seq <= 50).every((s) => s.value === 0)).toBe(true)
    expect(samples.filter((s) => s.seq > 50).every((s) => s.value === 1)).toBe(true)
  })

  it('re-anchors the schedule at the time a new interval starts', async () => {
    const { client, epoch } = await run(
      {
        steps: [
          { at: 0, p: 0.5 },
          { at: 1, intervalMs: 250 }
        ]
      },
      { intervalMs: 100, advanceMs: 2000, until: 12 }
    )
    const times = new Map(client.samples.map((s) => [s.seq, s.time - epoch]))
    expect([1, 9, 10, 11, 12].map((seq) => times.get(seq))).toEqual([100, 900, 1250, 1500, 1750])
    expect(
      client.messages.some(
        (m) => m.type === 'state' && m.change === 'interval' && m.state.intervalMs === 250
      )
    ).toBe(true)
  })

  it('loops a regime switch, pass after pass', async () => {
    const { client } = await run(
      {
        loop: true,
        duration: 2,
        steps: [
          { at: 0, p: 0 },
          { at: 1, p: 1 }
        ]
      },
      { intervalMs: 100, advanceMs: 4200, until: 41 }
    )
    const values = client.samples.filter((s) => s.seq <= 40).map((s) => s.value)
    // Due at 100·seq ms: [0, 1 s) → 0, [1, 2 s) → 1, then again.
    const expected = Array.from({ length: 40 }, (_, i) =>
      Math.floor(((i + 1) * 100) / 1000) % 2 === 0 ? 0 : 1
    )
    expect(values).toEqual(expected)
    const passes = client.messages.flatMap((m) =>
      m.type === 'state' && m.state.scenario ? [m.state.scenario.pass] : []
    )
    expect(Math.max(...passes)).toBeGreaterThanOrEqual(3)
  })

  it('refuses a scenario the server cannot run, naming the step, and starts nothing', async () => {
    const attempt = startService({
      scenario: { text: '{"steps":[{"at":0,"p":0.5},{"at":1,"p":7}]}', name: 'bad.json' }
    })
    await expect(attempt).rejects.toThrow(
      'bad.json: step 2 (line 1): "p": p must be a number from 0 to 1, got 7'
    )
  })
})
