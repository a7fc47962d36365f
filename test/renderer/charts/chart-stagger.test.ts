import { describe, expect, it } from 'vitest'
import { ChartStagger } from '../../../src/renderer/src/charts/chart-stagger'

describe('ChartStagger', () => {
  it('redraws both charts when frames are not back to back', () => {
    const stagger = new ChartStagger(40)
    stagger.markStale()
    expect(stagger.next(0)).toEqual({ density: true, estimate: true, again: false })
    stagger.markStale()
    expect(stagger.next(100)).toEqual({ density: true, estimate: true, again: false })
  })

  it('alternates the charts over back-to-back busy frames and asks for a catch-up frame', () => {
    const stagger = new ChartStagger(40)
    stagger.markStale()
    stagger.next(0)
    stagger.markStale()
    expect(stagger.next(16)).toEqual({ density: true, estimate: false, again: true })
    stagger.markStale()
    expect(stagger.next(32)).toEqual({ density: false, estimate: true, again: true })
    stagger.markStale()
    expect(stagger.next(48)).toEqual({ density: true, estimate: false, again: true })
  })

  it('lets the chart that was skipped catch up when the data stops, then goes quiet', () => {
    const stagger = new ChartStagger(40)
    stagger.markStale()
    stagger.next(0)
    stagger.markStale()
    expect(stagger.next(16)).toEqual({ density: true, estimate: false, again: true })
    // No new data: only the estimate is behind.
    expect(stagger.next(32)).toEqual({ density: false, estimate: true, again: false })
    expect(stagger.next(48)).toEqual({ density: false, estimate: false, again: false })
  })

  it('redraws only the chart that is out of date', () => {
    const stagger = new ChartStagger(40)
    stagger.markStale('density')
    expect(stagger.next(0)).toEqual({ density: true, estimate: false, again: false })
    stagger.markStale('estimate')
    expect(stagger.next(16)).toEqual({ density: false, estimate: true, again: false })
  })
})
