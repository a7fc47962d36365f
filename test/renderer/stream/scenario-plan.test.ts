import { describe, expect, it } from 'vitest'
import { parseScenarioDocument } from '../../../src/renderer/src/stream/scenario-plan'

// The server's validated form, as `GET /v1/scenario` serves it (the e2e test reads the real one).
const set = (at: number, p: number | null, intervalMs: number | null = null) => ({
  kind: 'set',
  at,
  p,
  intervalMs
})
function documentOf(steps: unknown[], name: string, over: Record<string, unknown> = {}): unknown {
  const scenario = {
    name,
    description: '',
    unit: 'seconds',
    loop: false,
    duration: null,
    end: 'hold',
    seed: null,
    steps,
    ...over
  }
  return { name, scenario, progress: null }
}

describe('parseScenarioDocument', () => {
  it('reads the minimal form as the server validated it', () => {
    const plan = parseScenarioDocument(documentOf([set(0, 0.9), set(2, 0.1)], 'change.json'))
    expect(plan).toMatchObject({ name: 'change.json', unit: 'seconds', loop: false })
    expect(plan?.steps).toEqual([
      { kind: 'set', at: 0, p: 0.9, intervalMs: null },
      { kind: 'set', at: 2, p: 0.1, intervalMs: null }
    ])
  })

  it('reads ramps, sines and walks with their shapes', () => {
    const steps = [
      set(0, 0.25, 20),
      {
        kind: 'ramp',
        at: 25,
        until: 30,
        every: 0.5,
        intervalMs: null,
        shape: { kind: 'ramp', from: 0.75, to: 0.5 }
      },
      {
        kind: 'sine',
        at: 30,
        until: 38,
        every: 0.5,
        intervalMs: null,
        shape: { kind: 'sine', low: 0.2, high: 0.8, period: 4, phase: 0 }
      },
      {
        kind: 'walk',
        at: 38,
        until: 39,
        every: 0.5,
        intervalMs: null,
        shape: { kind: 'walk', from: 0.5, step: 0.02, low: 0.1, high: 0.9, seed: null }
      }
    ]
    const plan = parseScenarioDocument(
      documentOf(steps, 'switch.yaml', { loop: true, duration: 40 })
    )
    expect(plan?.loop).toBe(true)
    expect(plan?.duration).toBe(40)
    expect(plan?.steps.map((s) => (s.kind === 'set' ? 'set' : s.shape.kind))).toEqual([
      'set',
      'ramp',
      'sine',
      'walk'
    ])
    expect(plan?.steps[1]).toMatchObject({ until: 30, shape: { from: 0.75, to: 0.5 } })
  })

  it('is null when no scenario runs, and refuses a malformed document whole', () => {
    expect(parseScenarioDocument({ name: null, scenario: null, progress: null })).toBeNull()
    expect(parseScenarioDocument('nope')).toBeNull()
    expect(parseScenarioDocument(documentOf([set(0, 0.9)], 'a.json'))).not.toBeNull()
    expect(parseScenarioDocument(documentOf([set(0, 1.5)], 'a.json'))).toBeNull()
    expect(parseScenarioDocument(documentOf([{ kind: 'ramp', at: 0 }], 'a.json'))).toBeNull()
    expect(parseScenarioDocument(documentOf([set(0, 0.9)], 'a.json', { unit: 'hours' }))).toBeNull()
  })
})
