import { describe, expect, it } from 'vitest'
import { FaultPlan } from '../../../src/main/faults/fault-plan'
import type { FaultSpec } from '../../../src/main/faults/fault-spec'

const NONE: FaultSpec = {
  drop: 0,
  dup: 0,
  delay: null,
  disconnectAfterMs: null,
  stallAfterMs: null,
  burstMs: null,
  seed: 1
}

/** The sequence numbers a client would receive from batches of `size` up to `total` samples. */
function received(spec: FaultSpec, total: number, size: number): number[] {
  const plan = new FaultPlan(spec, 0)
  const seqs: number[] = []
  for (let first = 1; first <= total; first += size) {
    const count = Math.min(size, total - first + 1)
    for (const [start, end] of plan.planSamples(first, count, 0).runs) {
      for (let i = start; i < end; i++) seqs.push(first + i)
    }
  }
  return seqs
}

describe('FaultPlan', () => {
  it('drops about the asked fraction, never renumbering: a drop is a missing seq', () => {
    const n = 20_000
    const seqs = received({ ...NONE, drop: 0.1, seed: 5 }, n, 7)
    const missing = n - seqs.length
    const se = Math.sqrt(n * 0.1 * 0.9)
    expect(Math.abs(missing - 0.1 * n)).toBeLessThan(4 * se)
    // Ascending, unique, and every value is a real seq.
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!)
  })

  it('drops the same sequence numbers for the same seed, whatever the batching', () => {
    const spec = { ...NONE, drop: 0.2, dup: 0.1, seed: 42 }
    expect(received(spec, 3000, 1)).toEqual(received(spec, 3000, 64))
    expect(received(spec, 3000, 1)).not.toEqual(received({ ...spec, seed: 43 }, 3000, 1))
  })

  it('sends a duplicated sample twice, right after itself', () => {
    const seqs = received({ ...NONE, dup: 0.05, seed: 3 }, 10_000, 10)
    const repeats = seqs.filter((s, i) => i > 0 && s === seqs[i - 1])
    expect(seqs.length - 10_000).toBe(repeats.length)
    expect(Math.abs(repeats.length - 500)).toBeLessThan(4 * Math.sqrt(10_000 * 0.05 * 0.95))
    expect([...new Set(seqs)]).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1))
  })

  it('counts what it applied', () => {
    const plan = new FaultPlan({ ...NONE, drop: 1 }, 0)
    expect(plan.planSamples(1, 10, 0)).toEqual({ runs: [], sendAtMs: 0 })
    expect(plan.counts()).toMatchObject({ drop: 10, dup: 0 })
  })

  it('delays writes by a fixed time or a seeded uniform one, never out of order', () => {
    const fixed = new FaultPlan({ ...NONE, delay: { minMs: 50, maxMs: 50 } }, 0)
    expect(fixed.planSamples(1, 1, 100).sendAtMs).toBe(150)
    expect(fixed.planMessage(101)).toBe(150)
    expect(fixed.planMessage(300)).toBe(300)
    const jitter = new FaultPlan({ ...NONE, delay: { minMs: 20, maxMs: 200 }, seed: 9 }, 0)
    let last = 0
    const delays: number[] = []
    for (let seq = 1; seq <= 500; seq++) {
      // Far apart, so the order rule never holds a write back: this measures the delay itself.
      const now = seq * 1000
      const at = jitter.planSamples(seq, 1, now).sendAtMs
      expect(at).toBeGreaterThanOrEqual(last)
      expect(at).toBeGreaterThanOrEqual(now + 20)
      delays.push(at - now)
      last = at
    }
    expect(Math.min(...delays)).toBeLessThan(40)
    expect(Math.max(...delays)).toBeGreaterThan(150)
    expect(jitter.counts().delay).toBe(500)
    // Close together, the order rule holds later writes behind earlier ones.
    const queued = new FaultPlan({ ...NONE, delay: { minMs: 20, maxMs: 200 }, seed: 9 }, 0)
    let previous = 0
    for (let seq = 1; seq <= 500; seq++) {
      const at = queued.planSamples(seq, 1, seq).sendAtMs
      expect(at).toBeGreaterThanOrEqual(previous)
      previous = at
    }
  })

  it('releases everything in bursts at fixed boundaries', () => {
    const plan = new FaultPlan({ ...NONE, burstMs: 1000 }, 500)
    expect(plan.planSamples(1, 1, 600).sendAtMs).toBe(1500)
    expect(plan.planSamples(2, 1, 1400).sendAtMs).toBe(1500)
    expect(plan.planSamples(3, 1, 1501).sendAtMs).toBe(2500)
    expect(plan.planMessage(1600)).toBe(2500)
    expect(plan.counts().burst).toBe(2)
  })

  it('knows when to stall and when to cut', () => {
    const plan = new FaultPlan({ ...NONE, stallAfterMs: 10_000, disconnectAfterMs: 30_000 }, 1000)
    expect(plan.stallAtMs).toBe(11_000)
    expect(plan.disconnectAtMs).toBe(31_000)
    expect(plan.stalled(10_999)).toBe(false)
    expect(plan.stalled(11_000)).toBe(true)
  })
})
