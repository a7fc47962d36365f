import { describe, expect, it } from 'vitest'
import { makeLayers, samples } from '../helpers/fake-stream'

/** Layers with a frame clock the test advances, fed samples as a 1 ms stream would be. */
function streaming() {
  let clock = 0
  const ctx = makeLayers({ frameClock: () => clock })
  let seq = 1
  const feed = (count: number) => {
    const batch = samples(
      seq,
      Array.from({ length: count }, (_, i) => ((seq + i) % 4 === 0 ? 0 : 1))
    )
    const { values, times } = batch as { values: Array<0 | 1>; times: number[] }
    ctx.engine.addSamples(seq, values, times, 0)
    seq += count
  }
  return { ...ctx, feed, tick: (ms: number) => (clock += ms) }
}

describe('FrameScheduler', () => {
  it('coalesces every change between two frames into one publish', () => {
    const { scheduler, frames, feed } = streaming()
    const before = { ...scheduler.counts }
    feed(5)
    feed(5)
    feed(6)
    expect(frames.queue).toHaveLength(1)
    expect(scheduler.panel.trials).toBe(0) // nothing is published between frames
    frames.run()
    expect(scheduler.panel.trials).toBe(16)
    expect(scheduler.counts.frames - before.frames).toBe(1)
  })

  it('at back-to-back busy frames each chart is replaced every other frame, never more often', () => {
    const { scheduler, frames, feed, tick } = streaming()
    const start = { ...scheduler.counts }
    const density: unknown[] = []
    const estimate: unknown[] = []
    for (let frame = 0; frame < 300; frame++) {
      feed(16) // 1000 samples/s at 60 frames/s
      tick(16.7)
      frames.run()
      density.push(scheduler.density)
      estimate.push(scheduler.estimate)
    }
    const densityRedraws = scheduler.counts.density - start.density
    const estimateRedraws = scheduler.counts.estimate - start.estimate
    // The bug was 261 density vs 134 estimate redraws in 5 s: the ratio must be ~1.
    expect(densityRedraws).toBeGreaterThanOrEqual(148)
    expect(densityRedraws).toBeLessThanOrEqual(152)
    expect(Math.abs(densityRedraws - estimateRedraws)).toBeLessThanOrEqual(2)
    // The panel is current every frame.
    expect(scheduler.counts.panel - start.panel).toBe(300)
    // A chart's value is a new object exactly when it was published (what its attachment redraws on).
    const replaced = (values: unknown[]) =>
      values.filter((v, i) => i > 0 && v !== values[i - 1]).length
    expect(replaced(density)).toBe(densityRedraws - 1)
    expect(replaced(estimate)).toBeLessThanOrEqual(estimateRedraws)
  })

  it('when frames are far apart both charts redraw together, then it goes quiet', () => {
    const { scheduler, frames, feed, tick } = streaming()
    const start = { ...scheduler.counts }
    for (let i = 0; i < 10; i++) {
      feed(1)
      tick(100) // a 100 ms stream: frames are not back to back
      frames.run()
      // History bands may take another frame; let them finish.
      while (frames.queue.length > 0) {
        tick(100)
        frames.run()
      }
    }
    expect(scheduler.counts.density - start.density).toBe(10)
    expect(scheduler.counts.estimate - start.estimate).toBeGreaterThanOrEqual(10)
    expect(frames.run()).toBe(0)
  })

  it('a view change redraws only the chart it concerns', () => {
    const { scheduler, frames, view } = streaming()
    const start = { ...scheduler.counts }
    view.setDensity('full')
    frames.run()
    expect(scheduler.counts.density - start.density).toBe(1)
    expect(scheduler.counts.estimate - start.estimate).toBe(0)
    view.setScale('linear')
    frames.run()
    expect(scheduler.counts.density - start.density).toBe(1)
    expect(scheduler.counts.estimate - start.estimate).toBe(1)
    expect(scheduler.estimate.scale).toBe('linear')
  })

  it('publishes the tracking posterior beside full memory once switched on', () => {
    const { scheduler, frames, feed, settings } = streaming()
    feed(300)
    frames.run()
    expect(scheduler.panel.tracking).toBeNull()
    expect(scheduler.density.tracking).toBeNull()
    settings.setMemory('forgetting')
    while (frames.run() > 0); // back-to-back frames: the charts take one each
    expect(scheduler.panel.tracking?.kind).toBe('forgetting')
    expect(scheduler.density.tracking?.kind).toBe('forgetting')
    expect(scheduler.estimate.tracking?.kind).toBe('forgetting')
    expect(scheduler.log[0]?.event.kind).toBe('memory')
  })

  it('reports each frame’s work for the benchmark', async () => {
    const reported: number[] = []
    let work = 0
    const ctx = makeLayers()
    const { FrameScheduler } =
      await import('../../../src/renderer/src/charts/frame-scheduler.svelte')
    const scheduler = new FrameScheduler(
      { settings: ctx.settings, mirror: ctx.session.mirror, view: ctx.view },
      {
        requestFrame: ctx.frames.request,
        onFrameWork: (ms) => reported.push(ms),
        workClock: () => (work += 2)
      }
    )
    ctx.engine.addSamples(1, [1, 0, 1], [1, 2, 3], 0)
    ctx.frames.run()
    await Promise.resolve()
    expect(reported.length).toBeGreaterThanOrEqual(1)
    expect(reported[0]).toBeGreaterThan(0)
    expect(scheduler.panel.trials).toBe(3)
  })
})
