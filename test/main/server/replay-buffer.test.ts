import { describe, expect, it } from 'vitest'
import { ReplayBuffer } from '../../../src/main/server/replay-buffer'

const collect = (buffer: ReplayBuffer, from: number, to: number, chunk = 1000) =>
  [...buffer.range(from, to, chunk)].flatMap((c) =>
    c.values.map((v, i) => [c.firstSeq + i, v, c.timesMs[i]])
  )

describe('ReplayBuffer', () => {
  it('holds the most recent samples and evicts the oldest', () => {
    const buffer = new ReplayBuffer(4)
    buffer.append({ firstSeq: 1, values: [1, 0, 1], timesMs: [10, 20, 30] })
    buffer.append({ firstSeq: 4, values: [0, 0, 1], timesMs: [40, 50, 60] })
    expect(buffer.oldestSeq).toBe(3)
    expect(buffer.nextSeq).toBe(7)
    expect(collect(buffer, 1, 100)).toEqual([
      [3, 1, 30],
      [4, 0, 40],
      [5, 0, 50],
      [6, 1, 60]
    ])
  })

  it('returns ranges clipped to what it holds, in chunks', () => {
    const buffer = new ReplayBuffer(100)
    buffer.append({ firstSeq: 10, values: [1, 1, 0, 0, 1], timesMs: [1, 2, 3, 4, 5] })
    expect([...buffer.range(11, 14, 2)].map((c) => [c.firstSeq, c.values])).toEqual([
      [11, [1, 0]],
      [13, [0]]
    ])
    expect(collect(buffer, 20, 30)).toEqual([])
  })

  it('refuses a batch that does not continue the held run, and bad capacities', () => {
    const buffer = new ReplayBuffer(10)
    buffer.append({ firstSeq: 1, values: [1], timesMs: [1] })
    expect(() => buffer.append({ firstSeq: 3, values: [1], timesMs: [1] })).toThrow(RangeError)
    expect(() => new ReplayBuffer(0)).toThrow(RangeError)
    expect(() => new ReplayBuffer(1.5)).toThrow(RangeError)
  })
})
