// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// jsdom has no canvas: a stand-in chart counts redraws and keeps what it was given.
const charts = vi.hoisted(() => ({
  made: [] as Array<{
    updates: number
    data: { datasets: Array<{ data: unknown[] }> }
    config: { options: Record<string, unknown> }
  }>
}))
vi.mock('../../../src/renderer/src/charts/chart-setup', () => ({
  STREAMING_CHART_OPTIONS: {},
  FAST_TICKS: {},
  Chart: class {
    updates = 0
    data: { datasets: Array<{ data: unknown[] }> }
    config: { options: Record<string, unknown> }
    canvas: HTMLCanvasElement
    constructor(
      canvas: HTMLCanvasElement,
      config: { data: { datasets: Array<{ data: unknown[] }> }; options: Record<string, unknown> }
    ) {
      this.canvas = canvas
      this.data = config.data
      this.config = { options: config.options }
      charts.made.push(this)
    }
    update() {
      this.updates++
    }
    destroy() {}
  }
}))

import DensityChart from '../../../src/renderer/src/components/DensityChart.svelte'
import EstimateChart from '../../../src/renderer/src/components/EstimateChart.svelte'
import { makeLayers } from '../helpers/fake-stream'

beforeEach(() => {
  charts.made.length = 0
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

function streaming() {
  let clock = 0
  const ctx = makeLayers({ frameClock: () => clock })
  let seq = 1
  const frame = async () => {
    const values = Array.from({ length: 16 }, (_, i) => ((seq + i) % 3 === 0 ? 1 : 0) as 0 | 1)
    ctx.engine.addSamples(
      seq,
      values,
      values.map(() => 1e12 + seq),
      0
    )
    seq += 16
    clock += 16.7
    ctx.frames.run()
    await vi.advanceTimersByTimeAsync(0) // Svelte's effects (the redraws) run
  }
  return { ...ctx, frame }
}

describe('the two charts', () => {
  it('redraw once per published value: at 1000 samples/s each every other frame', async () => {
    const ctx = streaming()
    render(DensityChart, { context: ctx.context })
    render(EstimateChart, { context: ctx.context })
    const [density, estimate] = charts.made
    const start = [density!.updates, estimate!.updates]
    const published = { ...ctx.scheduler.counts }
    for (let i = 0; i < 120; i++) await ctx.frame()
    const redraws = [density!.updates - start[0]!, estimate!.updates - start[1]!]
    // A chart redraws exactly when its own value was published, never because of another's.
    expect(redraws).toEqual([
      ctx.scheduler.counts.density - published.density,
      ctx.scheduler.counts.estimate - published.estimate
    ])
    expect(redraws[0]).toBeGreaterThanOrEqual(58)
    expect(redraws[0]).toBeLessThanOrEqual(62)
    expect(Math.abs(redraws[0]! - redraws[1]!)).toBeLessThanOrEqual(2)
  })

  it('the density chart follows the mass by default; one click shows all of [0, 1]', async () => {
    const ctx = streaming()
    render(DensityChart, { context: ctx.context })
    for (let i = 0; i < 200; i++) await ctx.frame()
    const zoom = screen.getByTestId<HTMLInputElement>('density-zoom')
    expect(zoom.checked).toBe(true)
    expect(screen.getByTestId('density-range').textContent).toMatch(
      /^Showing p from 0\.\d+ to 0\.\d+, where the posterior mass is\.$/
    )
    await fireEvent.click(zoom)
    await ctx.frame()
    await ctx.frame()
    expect(screen.getByTestId('density-range').textContent).toBe('Showing all of p from 0 to 1.')
    const x = (
      charts.made[0]!.config.options.scales as Record<string, { min: number; max: number }>
    ).x!
    expect([x.min, x.max]).toEqual([0, 1])
  })

  it('the estimate chart offers log n, linear n and the last samples, with a legend for what it draws', async () => {
    const ctx = streaming()
    render(EstimateChart, { context: ctx.context })
    await ctx.frame()
    const scale = screen.getByTestId<HTMLSelectElement>('estimate-scale')
    expect(scale.value).toBe('log')
    expect([...scale.options].map((o) => o.value)).toEqual(['log', 'linear', 'window'])
    const legend = () =>
      screen.getByRole('list', { name: 'Estimate chart legend' }).textContent ?? ''
    expect(legend()).toContain('full memory: mean')
    expect(legend()).not.toContain('window (last 200): mean')
    ctx.settings.setMemory('window')
    await ctx.frame()
    await ctx.frame()
    expect(legend()).toContain('window (last 200): mean')
    await fireEvent.change(scale, { target: { value: 'window' } })
    await ctx.frame()
    await ctx.frame()
    expect(ctx.scheduler.estimate.scale).toBe('window')
    const size = screen.getByTestId<HTMLSelectElement>('estimate-window')
    await fireEvent.change(size, { target: { value: '500' } })
    await ctx.frame()
    await ctx.frame()
    expect(ctx.scheduler.estimate.x.max - ctx.scheduler.estimate.x.min).toBe(500)
  })
})
