import { describe, expect, it } from 'vitest'
import { FaultOutbox, HELD_WRITE_OVERHEAD_BYTES } from '../../../src/main/faults/fault-outbox'
import { FaultPlan } from '../../../src/main/faults/fault-plan'
import type { FaultSpec } from '../../../src/main/faults/fault-spec'
import { FakeClock } from '../../support/fake-clock'

const NONE: FaultSpec = {
  drop: 0,
  dup: 0,
  delay: null,
  disconnectAfterMs: null,
  stallAfterMs: null,
  burstMs: null,
  seed: 1
}

function outbox(spec: Partial<FaultSpec>) {
  const clock = new FakeClock()
  const writes: Array<[number, string]> = []
  const events: Array<[number, string]> = []
  const box = new FaultOutbox(new FaultPlan({ ...NONE, ...spec }, clock.nowMs), clock, {
    write: (bytes) => void writes.push([clock.nowMs, bytes.toString()]),
    cut: () => events.push([clock.nowMs, 'cut']),
    stall: () => events.push([clock.nowMs, 'stall'])
  })
  const encode = (first: number) => (start: number, end: number) =>
    Buffer.from(Array.from({ length: end - start }, (_, i) => `[${first + start + i}]`).join(''))
  return { clock, writes, events, box, encode }
}

describe('FaultOutbox', () => {
  it('writes at once when nothing delays', () => {
    const { writes, box, encode } = outbox({ drop: 0.5, seed: 2 })
    box.sendSamples(1, 8, encode(1))
    expect(writes).toHaveLength(1)
    expect(writes[0]![1]).toMatch(/^(\[\d\])+$/)
  })

  it('holds delayed writes and releases them in order, messages in their place', () => {
    const { clock, writes, box, encode } = outbox({ delay: { minMs: 100, maxMs: 100 } })
    box.sendSamples(1, 2, encode(1))
    clock.advance(10)
    box.sendMessage(Buffer.from('state'))
    clock.advance(20)
    box.sendSamples(3, 1, encode(3))
    expect(writes).toEqual([])
    clock.advance(70)
    expect(writes).toEqual([[100, '[1][2]state']])
    clock.advance(30)
    expect(writes).toEqual([
      [100, '[1][2]state'],
      [130, '[3]']
    ])
  })

  it('says how much memory it holds back: bytes plus a fixed cost per held write, none once released', () => {
    const { clock, writes, box, encode } = outbox({ delay: { minMs: 100, maxMs: 100 } })
    const text = (seq: number): string => `[${seq}]`
    const heldFrom = (seq: number): number =>
      Array.from({ length: 3001 - seq }, (_, i) => text(seq + i).length).reduce(
        (a, b) => a + b,
        0
      ) +
      (3001 - seq) * HELD_WRITE_OVERHEAD_BYTES
    expect(box.heldBytes).toBe(0)
    for (let seq = 1; seq <= 3000; seq++) {
      box.sendSamples(seq, 1, encode(seq))
      clock.advance(0.01)
    }
    expect(box.heldBytes).toBe(heldFrom(1))
    // Half-way through the release: what went out went in order, what is left is still counted.
    clock.advance(85)
    const sent = writes.map(([, chunk]) => chunk).join('')
    const released = sent.split('[').length - 1
    expect(released).toBeGreaterThan(1024)
    expect(released).toBeLessThan(3000)
    expect(sent).toBe(Array.from({ length: released }, (_, i) => text(i + 1)).join(''))
    expect(box.heldBytes).toBe(heldFrom(released + 1))
    clock.advance(100)
    expect(writes.map(([, chunk]) => chunk).join('')).toBe(
      Array.from({ length: 3000 }, (_, i) => text(i + 1)).join('')
    )
    expect(box.heldBytes).toBe(0)
    box.sendSamples(3001, 1, encode(3001))
    expect(box.heldBytes).toBe(text(3001).length + HELD_WRITE_OVERHEAD_BYTES)
    box.close()
    expect(box.heldBytes).toBe(0)
  })

  it('releases bursts', () => {
    const { clock, writes, box, encode } = outbox({ burstMs: 1000 })
    for (let seq = 1; seq <= 25; seq++) {
      box.sendSamples(seq, 1, encode(seq))
      clock.advance(100)
    }
    expect(writes.map(([t, text]) => [t, text.split('][').length])).toEqual([
      [1000, 10],
      [2000, 10]
    ])
  })

  it('stalls at its time: drops what is queued, sends nothing more, stops reading', () => {
    const { clock, writes, events, box, encode } = outbox({
      stallAfterMs: 5000,
      delay: { minMs: 500, maxMs: 500 }
    })
    box.sendSamples(1, 1, encode(1))
    clock.advance(4900)
    box.sendSamples(2, 1, encode(2))
    clock.advance(100)
    expect(events).toEqual([[5000, 'stall']])
    expect(box.stalled).toBe(true)
    box.sendSamples(3, 1, encode(3))
    box.sendMessage(Buffer.from('x'))
    clock.advance(10_000)
    expect(writes).toEqual([[500, '[1]']])
    expect(box.plan.counts().stall).toBe(1)
  })

  it('cuts the connection at its disconnect time, once', () => {
    const { clock, events, box } = outbox({ disconnectAfterMs: 30_000, stallAfterMs: 10_000 })
    clock.advance(60_000)
    expect(events).toEqual([
      [10_000, 'stall'],
      [30_000, 'cut']
    ])
    expect(box.plan.counts()).toMatchObject({ stall: 1, disconnect: 1 })
    expect(clock.pendingTimers).toBe(0)
  })

  it('stops its timers on close', () => {
    const { clock, box, encode } = outbox({
      delay: { minMs: 100, maxMs: 100 },
      disconnectAfterMs: 1000
    })
    box.sendSamples(1, 1, encode(1))
    box.close()
    box.close()
    expect(clock.pendingTimers).toBe(0)
  })
})
