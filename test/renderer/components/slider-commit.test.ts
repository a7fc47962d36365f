import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SliderCommit } from '../../../src/renderer/src/components/slider-commit'
import { systemClock } from '../../../src/shared/clock'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function make() {
  const sent: number[] = []
  const commit = new SliderCommit<number>((v) => sent.push(v), systemClock)
  return { commit, sent }
}

describe('SliderCommit', () => {
  it('commits a drag once, on release', () => {
    const { commit, sent } = make()
    commit.pointerPressed()
    commit.changed(0.28) // the change event fires once, at release
    expect(sent).toEqual([0.28])
  })

  it('coalesces keyboard steps into one commit after a quiet moment', () => {
    const { commit, sent } = make()
    for (const v of [0.71, 0.7, 0.69, 0.68]) {
      commit.keyPressed()
      commit.changed(v)
      vi.advanceTimersByTime(100)
    }
    expect(sent).toEqual([])
    expect(commit.waiting).toBe(true)
    vi.advanceTimersByTime(400)
    expect(sent).toEqual([0.68])
    expect(commit.waiting).toBe(false)
  })

  it('commits waiting keyboard steps at once on blur, and a drag cancels them', () => {
    const { commit, sent } = make()
    commit.keyPressed()
    commit.changed(0.5)
    commit.flush()
    expect(sent).toEqual([0.5])
    commit.keyPressed()
    commit.changed(0.6)
    commit.pointerPressed()
    commit.changed(0.9)
    vi.advanceTimersByTime(1000)
    expect(sent).toEqual([0.5, 0.9])
    commit.flush()
    expect(sent).toEqual([0.5, 0.9])
  })
})
