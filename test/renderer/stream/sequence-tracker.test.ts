import { describe, expect, it } from 'vitest'
import { SequenceTracker } from '../../../src/renderer/src/stream/sequence-tracker'

describe('SequenceTracker', () => {
  it('accepts consecutive batches without gaps', () => {
    const t = new SequenceTracker()
    t.rebase(0)
    expect(t.accept(1, 3)).toEqual({ skip: 0, gap: null })
    expect(t.accept(4, 2)).toEqual({ skip: 0, gap: null })
    expect(t.last).toBe(5)
  })

  it('skips samples already seen, fully or partly', () => {
    const t = new SequenceTracker()
    t.rebase(10)
    expect(t.accept(11, 5)).toEqual({ skip: 0, gap: null }) // 11..15
    expect(t.accept(11, 5)).toEqual({ skip: 5, gap: null }) // a pure replay
    expect(t.accept(14, 4)).toEqual({ skip: 2, gap: null }) // 14..17: 16, 17 are new
    expect(t.last).toBe(17)
  })

  it('reports a hole nobody announced', () => {
    const t = new SequenceTracker()
    t.rebase(5)
    expect(t.accept(9, 2)).toEqual({ skip: 0, gap: { from: 6, to: 8 } })
    expect(t.last).toBe(10)
  })

  it('accounts for an announced gap once', () => {
    const t = new SequenceTracker()
    t.rebase(100)
    expect(t.declareLost(101, 150)).toEqual({ from: 101, to: 150 })
    expect(t.declareLost(101, 150)).toBeNull()
    expect(t.accept(151, 1)).toEqual({ skip: 0, gap: null })
    // An announcement that starts later than expected also covers the silent part.
    expect(t.declareLost(160, 170)).toEqual({ from: 152, to: 170 })
  })

  it('takes its baseline from the first batch when there was no hello', () => {
    const t = new SequenceTracker()
    expect(t.hasBaseline).toBe(false)
    expect(t.accept(42, 1)).toEqual({ skip: 0, gap: null })
    expect(t.hasBaseline).toBe(true)
    expect(t.last).toBe(42)
  })

  it('rejects a bad rebase', () => {
    expect(() => new SequenceTracker().rebase(-1)).toThrow(RangeError)
  })
})
