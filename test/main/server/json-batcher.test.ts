import { describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../../src/main/sampler/sample-source'
import { JsonBatcher } from '../../../src/main/server/json-batcher'
import { FakeClock } from '../../support/fake-clock'

function setup(batchMs = 16) {
  const clock = new FakeClock()
  const flushed: SampleBatch[] = []
  const batcher = new JsonBatcher({ clock, batchMs, onFlush: (batch) => flushed.push(batch) })
  const drawn = (firstSeq: number, count: number, intervalMs: number) => ({
    firstSeq,
    values: Array.from({ length: count }, (_, i) => ((firstSeq + i) % 2) as 0 | 1),
    timesMs: Array.from({ length: count }, (_, i) => firstSeq + i),
    intervalMs
  })
  return { clock, batcher, flushed, drawn }
}

describe('JsonBatcher', () => {
  it('sends samples drawn at an interval of batchMs or more at once', () => {
    const { batcher, flushed, drawn, clock } = setup(16)
    batcher.add(drawn(1, 1, 16))
    expect(flushed).toEqual([{ firstSeq: 1, values: [1], timesMs: [1], intervalMs: 16 }])
    expect(batcher.pendingFrom).toBeNull()
    expect(clock.pendingTimers).toBe(0)
  })

  it('gathers faster samples for at most batchMs, into one batch', () => {
    const { batcher, flushed, drawn, clock } = setup(16)
    batcher.add(drawn(1, 1, 1))
    clock.advance(5)
    batcher.add(drawn(2, 3, 1))
    expect(flushed).toEqual([])
    expect(batcher.pendingFrom).toBe(1)
    clock.advance(10)
    expect(flushed).toEqual([])
    clock.advance(1)
    expect(flushed).toEqual([{ firstSeq: 1, values: [1, 0, 1, 0], timesMs: [1, 2, 3, 4] }])
    expect(batcher.pendingFrom).toBeNull()
  })

  it('flushes on demand and disarms its timer; an empty flush sends nothing', () => {
    const { batcher, flushed, drawn, clock } = setup(16)
    batcher.flush()
    expect(flushed).toEqual([])
    batcher.add(drawn(7, 2, 2))
    expect(clock.pendingTimers).toBe(1)
    batcher.flush()
    expect(flushed).toHaveLength(1)
    expect(clock.pendingTimers).toBe(0)
    clock.advance(100)
    expect(flushed).toHaveLength(1)
  })
})
