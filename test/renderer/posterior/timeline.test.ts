import { describe, expect, it } from 'vitest'
import { Timeline } from '../../../src/renderer/src/posterior/timeline'

describe('Timeline', () => {
  it('turns p changes into true-p steps and marks, and logs everything newest first', () => {
    const timeline = new Timeline(() => 1000)
    timeline.add({ kind: 'joined', p: 0.72 }, 0)
    timeline.add({ kind: 'running', running: true }, 0)
    timeline.add({ kind: 'p', p: 0.2, previous: 0.72 }, 204)
    timeline.add({ kind: 'interval', intervalMs: 1, previous: 100 }, 300)
    expect(timeline.pSteps).toEqual([
      { n: 0, p: 0.72 },
      { n: 204, p: 0.2 }
    ])
    expect(timeline.marks.map((m) => [m.n, m.kind])).toEqual([
      [204, 'p'],
      [300, 'interval']
    ])
    expect(timeline.log.map((e) => e.event.kind)).toEqual(['interval', 'p', 'running', 'joined'])
    expect(timeline.log[0]).toMatchObject({ n: 300, atMs: 1000 })
    expect(timeline.lastP).toBe(0.2)
  })

  it('marks lost samples but not history the page never had; a join adds a step only if it is news', () => {
    const timeline = new Timeline(() => 0)
    timeline.add({ kind: 'p', p: 0.5, previous: null }, 3000)
    timeline.add({ kind: 'joined', p: 0.5 }, 6000)
    expect(timeline.pSteps).toEqual([{ n: 3000, p: 0.5 }])
    timeline.add({ kind: 'gap', from: 1, to: 100, announced: true, beforeJoin: true }, 0)
    timeline.add({ kind: 'gap', from: 7000, to: 7010, announced: false, beforeJoin: false }, 6500)
    expect(timeline.marks.map((m) => m.kind)).toEqual(['p', 'gap'])
  })

  it('holds a change until counting reaches its sequence number', () => {
    const timeline = new Timeline(() => 0)
    timeline.schedule({ kind: 'p', p: 0.1, previous: 0.5 }, 50)
    timeline.schedule({ kind: 'interval', intervalMs: 5, previous: 10 }, 20)
    expect(timeline.nextPendingSeq).toBe(20)
    timeline.placeUpTo(19, 18)
    expect(timeline.log).toHaveLength(0)
    timeline.placeUpTo(20, 19)
    expect(timeline.marks.map((m) => [m.n, m.kind])).toEqual([[19, 'interval']])
    timeline.dropPending()
    expect(timeline.nextPendingSeq).toBe(Infinity)
  })

  it('starts steps and marks over on reset, carrying the true p on, and stays bounded', () => {
    const timeline = new Timeline(() => 0)
    timeline.add({ kind: 'joined', p: 0.72 }, 0)
    for (let i = 1; i <= 2000; i++)
      timeline.add({ kind: 'p', p: i % 2 ? 0.3 : 0.7, previous: 0 }, i)
    expect(timeline.pSteps.length).toBeLessThanOrEqual(1000)
    expect(timeline.marks.length).toBeLessThanOrEqual(500)
    expect(timeline.log.length).toBeLessThanOrEqual(100)
    timeline.reset()
    expect(timeline.pSteps).toEqual([{ n: 0, p: 0.7 }])
    expect(timeline.marks).toEqual([])
    expect(timeline.log[0]?.event.kind).toBe('reset')
  })
})
