import { describe, expect, it } from 'vitest'
import type { Scenario } from '../../../src/main/scenario/scenario'
import { ScenarioEngine, type ScenarioUpdate } from '../../../src/main/scenario/scenario-engine'
import { validateScenario } from '../../../src/main/scenario/scenario-validator'

const INITIAL = { p: 0.5, intervalMs: 100 }

function scenario(data: unknown): Scenario {
  const checked = validateScenario(data, 'test')
  if (!checked.ok) throw new Error(checked.problem.reason)
  return checked.scenario
}

function engine(data: unknown, seed = 1): ScenarioEngine {
  return new ScenarioEngine(scenario(data), INITIAL, seed)
}

const atMs = (elapsedMs: number) => ({ elapsedMs, samples: 0 })
const atSample = (samples: number) => ({ elapsedMs: 0, samples })

/** p reported by updates as the engine is advanced through every position in `positions`. */
function pTrace(e: ScenarioEngine, positions: number[], unit: 'ms' | 'samples' = 'ms'): number[] {
  let p = INITIAL.p
  return positions.map((x) => {
    const update = e.advance(unit === 'ms' ? atMs(x) : atSample(x))
    if (update?.p != null) p = update.p
    return p
  })
}

describe('ScenarioEngine', () => {
  it('runs the minimal form: p 0.9 from 0 s, 0.1 from 2 s', () => {
    const e = engine({
      steps: [
        { at: 0, p: 0.9 },
        { at: 2, p: 0.1 }
      ]
    })
    const first = e.advance(atMs(0))
    expect(first).toMatchObject({ p: 0.9, intervalMs: null, stop: false })
    expect(first?.progress).toMatchObject({ step: 1, steps: 2, pass: 1, done: false })
    expect(e.nextTrigger).toBe(2000)
    for (let t = 100; t < 2000; t += 100) expect(e.advance(atMs(t))).toBeNull()
    const second = e.advance(atMs(2000))
    expect(second).toMatchObject({ p: 0.1, progress: { step: 2, done: true } })
    expect(e.nextTrigger).toBe(Infinity)
    expect(e.advance(atMs(1e9))).toBeNull()
  })

  it('keeps the initial settings before the first step', () => {
    const e = engine({ steps: [{ at: 1, p: 0.9 }] })
    expect(e.advance(atMs(0))).toBeNull()
    expect(e.progress()).toMatchObject({ step: 0, done: false })
    expect(e.settingsAt(atMs(999))).toEqual(INITIAL)
    expect(e.advance(atMs(1000))?.p).toBe(0.9)
  })

  it('counts samples in a samples scenario: the change applies to sample index 500', () => {
    const e = engine({
      unit: 'samples',
      steps: [
        { at: 0, p: 0.2 },
        { at: 500, p: 0.8 }
      ]
    })
    const trace = pTrace(
      e,
      Array.from({ length: 1000 }, (_, i) => i),
      'samples'
    )
    expect(trace.slice(0, 500).every((p) => p === 0.2)).toBe(true)
    expect(trace.slice(500).every((p) => p === 0.8)).toBe(true)
  })

  it('ramps p linearly, one update every `every`, ending exactly at `to`', () => {
    const e = engine({ steps: [{ at: 10, until: 20, every: 1, ramp: { from: 0.2, to: 0.8 } }] })
    const updates: Array<[number, number]> = []
    for (let t = 0; t <= 30_000; t += 50) {
      const u = e.advance(atMs(t))
      if (u?.p != null) updates.push([t, u.p])
    }
    expect(updates).toEqual(
      Array.from({ length: 11 }, (_, k) => [
        10_000 + 1000 * k,
        Math.round((0.2 + 0.06 * k) * 1e6) / 1e6
      ])
    )
    expect(e.progress().done).toBe(true)
  })

  it('adds a last update at `until` when the length is not a multiple of `every`', () => {
    const e = engine({ steps: [{ at: 0, until: 2.5, every: 1, ramp: { from: 0, to: 1 } }] })
    expect(pTrace(e, [0, 1000, 2000, 2499, 2500])).toEqual([0, 0.4, 0.8, 0.8, 1])
  })

  it('draws a sine wave between low and high', () => {
    const e = engine({
      steps: [{ at: 0, until: 8, every: 1, sine: { low: 0.2, high: 0.8, period: 4 } }]
    })
    expect(pTrace(e, [0, 1000, 2000, 3000, 4000, 5000])).toEqual([0.5, 0.8, 0.5, 0.2, 0.5, 0.8])
    const shifted = engine({
      steps: [{ at: 0, until: 8, every: 1, sine: { low: 0.2, high: 0.8, period: 4, phase: 0.75 } }]
    })
    expect(pTrace(shifted, [0, 1000, 2000])).toEqual([0.2, 0.5, 0.8])
  })

  describe('random walk', () => {
    const walk = (seed?: number) => ({
      steps: [
        {
          at: 0,
          until: 100,
          every: 1,
          walk: { from: 0.5, step: 0.05, low: 0.3, high: 0.7, ...(seed ? { seed } : {}) }
        }
      ]
    })
    const times = Array.from({ length: 101 }, (_, k) => k * 1000)

    it('is reproducible from its seed and moves ±step, reflected inside [low, high]', () => {
      const a = pTrace(engine(walk(7)), times)
      const b = pTrace(engine(walk(7)), times)
      expect(b).toEqual(a)
      expect(pTrace(engine(walk(8)), times)).not.toEqual(a)
      for (let k = 1; k < a.length; k++) {
        expect(Math.abs(a[k]! - a[k - 1]!)).toBeCloseTo(0.05, 9)
        expect(a[k]).toBeGreaterThanOrEqual(0.3)
        expect(a[k]).toBeLessThanOrEqual(0.7)
      }
    })

    it('uses the stream seed when neither the walk nor the scenario names one', () => {
      expect(pTrace(engine(walk(), 42), times)).toEqual(pTrace(engine(walk(), 42), times))
      expect(pTrace(engine(walk(), 42), times)).not.toEqual(pTrace(engine(walk(), 43), times))
      expect(pTrace(engine({ ...walk(), seed: 5 }, 42), times)).toEqual(
        pTrace(engine({ ...walk(), seed: 5 }, 43), times)
      )
    })

    it('gives the same p at a position however the engine got there', () => {
      const stepped = engine(walk(3))
      pTrace(stepped, times)
      const jumped = engine(walk(3))
      for (const t of [77_000, 12_000, 99_000, 0]) {
        expect(jumped.settingsAt(atMs(t))).toEqual(stepped.settingsAt(atMs(t)))
      }
    })
  })

  it('loops: a regime switch every 30 s, pass after pass', () => {
    const e = engine({
      loop: true,
      duration: 60,
      steps: [
        { at: 0, p: 0.2 },
        { at: 30, p: 0.8 }
      ]
    })
    const seen: Array<[number, number | null, number]> = []
    for (let t = 0; t <= 180_000; t += 100) {
      const u = e.advance(atMs(t))
      if (u) seen.push([t, u.p, u.progress.pass])
    }
    expect(seen).toEqual([
      [0, 0.2, 1],
      [30_000, 0.8, 1],
      [60_000, 0.2, 2],
      [90_000, 0.8, 2],
      [120_000, 0.2, 3],
      [150_000, 0.8, 3],
      [180_000, 0.2, 4]
    ])
  })

  it('reports a new interval with the position it starts from', () => {
    const e = engine({
      steps: [
        { at: 0, p: 0.3 },
        { at: 5, intervalMs: 10 },
        { at: 6, p: 0.6 }
      ]
    })
    e.advance(atMs(0))
    const u = e.advance(atMs(5030))
    expect(u).toMatchObject({ p: null, intervalMs: 10, intervalFrom: 5000 })
    // Jumping over several triggers gives one net update.
    const net = engine({
      steps: [
        { at: 0, p: 0.3 },
        { at: 5, intervalMs: 10 },
        { at: 6, p: 0.6 }
      ]
    })
    expect(net.advance(atMs(7000))).toMatchObject({ p: 0.6, intervalMs: 10, intervalFrom: 5000 })
  })

  it('carries a looping scenario’s last interval into the next pass', () => {
    const e = engine({
      loop: true,
      duration: 10,
      steps: [
        { at: 0, p: 0.3 },
        { at: 5, p: 0.4, intervalMs: 20 }
      ]
    })
    e.advance(atMs(0))
    expect(e.advance(atMs(5000))).toMatchObject({ intervalMs: 20 })
    const next = e.advance(atMs(10_000))
    expect(next).toMatchObject({ p: 0.3, intervalMs: null })
    expect(e.settingsAt(atMs(12_000))).toEqual({ p: 0.3, intervalMs: 20 })
  })

  it('stops the sampler at `duration` with end: stop, once', () => {
    const e = engine({ duration: 10, end: 'stop', steps: [{ at: 0, p: 0.3 }] })
    expect(e.advance(atMs(0))?.stop).toBe(false)
    expect(e.nextTrigger).toBe(10_000)
    expect(e.advance(atMs(9999))).toBeNull()
    const end: ScenarioUpdate | null = e.advance(atMs(10_000))
    expect(end).toMatchObject({ stop: true, progress: { done: true } })
    expect(e.advance(atMs(20_000))).toBeNull()
  })

  it('says when the next trigger is, so a long interval can be cut short', () => {
    const e = engine({
      steps: [
        { at: 0, until: 2, every: 0.5, ramp: { from: 0.1, to: 0.5 } },
        { at: 3, intervalMs: 50 }
      ]
    })
    e.advance(atMs(0))
    expect(e.nextTrigger).toBe(500)
    e.advance(atMs(1700))
    expect(e.nextTrigger).toBe(2000)
    e.advance(atMs(2000))
    expect(e.nextTrigger).toBe(3000)
  })
})
