import { describe, expect, it } from 'vitest'
import { describeScenarioProblem } from '../../../src/main/scenario/scenario'
import { validateScenario } from '../../../src/main/scenario/scenario-validator'

const ok = { at: 0, p: 0.5 }

describe('validateScenario', () => {
  it('accepts the minimal form with every default filled in', () => {
    const checked = validateScenario(
      {
        steps: [
          { at: 0, p: 0.9 },
          { at: 2, p: 0.1 }
        ]
      },
      'min.json'
    )
    expect(checked).toEqual({
      ok: true,
      scenario: {
        name: '',
        description: '',
        unit: 'seconds',
        loop: false,
        duration: null,
        end: 'hold',
        seed: null,
        steps: [
          { kind: 'set', at: 0, p: 0.9, intervalMs: null },
          { kind: 'set', at: 2, p: 0.1, intervalMs: null }
        ]
      }
    })
  })

  it('reads every kind of step', () => {
    const checked = validateScenario(
      {
        name: 'all',
        unit: 'samples',
        steps: [
          { at: 0, intervalMs: 5 },
          { at: 10, until: 110, every: 10, ramp: { from: 0.1, to: 0.9 } },
          { at: 200, until: 400, sine: { low: 0.2, high: 0.6, period: 100 } },
          { at: 400, until: 1000, every: 20, walk: { from: 0.5, step: 0.01, seed: 9 } }
        ]
      },
      'x'
    )
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    expect(checked.scenario.steps[2]).toMatchObject({
      kind: 'sine',
      every: 50,
      shape: { phase: 0 }
    })
    expect(checked.scenario.steps[3]).toMatchObject({
      kind: 'walk',
      shape: { low: 0, high: 1, seed: 9 }
    })
  })

  // [what, document, step at fault (1-based) or null, words the reason contains]
  const refused: Array<[string, unknown, number | null, string]> = [
    ['not an object', [1, 2], null, 'a scenario is an object'],
    ['no steps', {}, null, '"steps" must be a non-empty list'],
    ['empty steps', { steps: [] }, null, 'non-empty'],
    ['a typo at the top', { stpes: [ok] }, null, 'unknown field "stpes"'],
    ['a typo in a step', { steps: [ok, { at: 1, pp: 0.4 }] }, 2, 'unknown field "pp"'],
    [
      'p out of range',
      { steps: [ok, { at: 2, p: 1.5 }] },
      2,
      'p must be a number from 0 to 1, got 1.5'
    ],
    ['p as a string', { steps: [{ at: 0, p: '0.5' }] }, 1, 'got the string "0.5"'],
    ['interval out of range', { steps: [{ at: 0, intervalMs: 0.5 }] }, 1, 'interval must be'],
    ['a step without at', { steps: [{ p: 0.5 }] }, 1, 'needs "at"'],
    ['a negative time', { steps: [{ at: -1, p: 0.5 }] }, 1, '"at" must be a number of seconds'],
    ['a step that sets nothing', { steps: [{ at: 0 }] }, 1, 'sets nothing'],
    [
      'steps out of order',
      {
        steps: [
          { at: 5, p: 0.1 },
          { at: 5, p: 0.2 }
        ]
      },
      2,
      'not after step 1'
    ],
    [
      'a step inside a ramp',
      {
        steps: [
          { at: 0, until: 10, ramp: { from: 0, to: 1 } },
          { at: 5, p: 0.2 }
        ]
      },
      2,
      "inside step 1's ramp (0–10)"
    ],
    ['a ramp without until', { steps: [{ at: 0, ramp: { from: 0, to: 1 } }] }, 1, 'needs "until"'],
    [
      'until before at',
      { steps: [{ at: 5, until: 5, ramp: { from: 0, to: 1 } }] },
      1,
      'must be after "at"'
    ],
    [
      'p beside a ramp',
      { steps: [{ at: 0, until: 5, p: 0.2, ramp: { from: 0, to: 1 } }] },
      1,
      'use "ramp" alone'
    ],
    [
      'two shapes',
      { steps: [{ at: 0, until: 5, ramp: { from: 0, to: 1 }, sine: {} }] },
      1,
      'both "ramp" and "sine"'
    ],
    ['until on a plain step', { steps: [{ at: 0, until: 5, p: 0.2 }] }, 1, '"until" belongs to'],
    [
      'a ramp to 2',
      { steps: [{ at: 0, until: 5, ramp: { from: 0, to: 2 } }] },
      1,
      '"ramp.to": p must be'
    ],
    [
      'every too short',
      { steps: [{ at: 0, until: 5, every: 0.01, ramp: { from: 0, to: 1 } }] },
      1,
      'at least 0.05 s'
    ],
    [
      'too many updates',
      {
        unit: 'samples',
        steps: [{ at: 0, until: 10_000_000, every: 1, ramp: { from: 0, to: 1 } }]
      },
      1,
      'at most 100000'
    ],
    [
      'a fractional sample',
      { unit: 'samples', steps: [{ at: 2.5, p: 0.1 }] },
      1,
      'whole number of samples'
    ],
    [
      'sine low above high',
      { steps: [{ at: 0, until: 5, sine: { low: 0.8, high: 0.2, period: 1 } }] },
      1,
      'must be below'
    ],
    [
      'sine without period',
      { steps: [{ at: 0, until: 5, sine: { low: 0.2, high: 0.8 } }] },
      1,
      'needs "period"'
    ],
    [
      'a walk step too large',
      { steps: [{ at: 0, until: 5, walk: { from: 0.5, step: 0.5, low: 0.4, high: 0.6 } }] },
      1,
      '"walk.step"'
    ],
    [
      'a walk from outside its bounds',
      { steps: [{ at: 0, until: 5, walk: { from: 0.1, step: 0.01, low: 0.4 } }] },
      1,
      'must lie in'
    ],
    [
      'a bad walk seed',
      { steps: [{ at: 0, until: 5, walk: { from: 0.5, step: 0.01, seed: 0 } }] },
      1,
      '"walk.seed"'
    ],
    ['a loop without duration', { loop: true, steps: [ok] }, null, '"loop": true needs "duration"'],
    [
      'a loop that does not start with p',
      { loop: true, duration: 10, steps: [{ at: 1, p: 0.2 }] },
      1,
      'must set p at 0'
    ],
    [
      'a loop with end: stop',
      { loop: true, end: 'stop', duration: 10, steps: [ok] },
      null,
      'cannot be used with'
    ],
    [
      'a loop whose pass lasts a microsecond (it would wedge the server)',
      { loop: true, duration: 0.000001, steps: [ok] },
      1,
      'less than 1 ms before the next pass'
    ],
    [
      'a loop with two changes a microsecond apart',
      { loop: true, duration: 10, steps: [ok, { at: 0.000001, p: 0.2 }] },
      2,
      "less than 1 ms after step 1's last change at 0 s"
    ],
    [
      'a loop with a segment shorter than a millisecond',
      {
        loop: true,
        duration: 10,
        steps: [ok, { at: 1, until: 1.0000001, ramp: { from: 0, to: 1 } }]
      },
      2,
      'lasts less than 1 ms'
    ],
    [
      'a loop whose step follows a ramp by less than a millisecond',
      {
        loop: true,
        duration: 10,
        steps: [ok, { at: 1, until: 2, ramp: { from: 0, to: 1 } }, { at: 2.0005, p: 0.1 }]
      },
      3,
      "less than 1 ms after step 2's last change at 2 s"
    ],
    ['end: stop without duration', { end: 'stop', steps: [ok] }, null, 'needs "duration"'],
    [
      'a step after duration',
      { duration: 10, steps: [ok, { at: 10, p: 0.3 }] },
      2,
      'after the scenario\'s "duration" of 10'
    ],
    ['an unknown unit', { unit: 'minutes', steps: [ok] }, null, '"unit" must be'],
    ['a bad seed', { seed: 1.5, steps: [ok] }, null, '"seed" must be a whole number'],
    ['a long name', { name: 'x'.repeat(101), steps: [ok] }, null, 'at most 100 characters'],
    [
      'too many steps',
      { steps: Array.from({ length: 1001 }, (_, i) => ({ at: i, p: 0.5 })) },
      null,
      'at most 1000 steps'
    ]
  ]

  it('lets a looping scenario change once a millisecond, and a segment end where the next step or pass begins', () => {
    const checked = validateScenario(
      {
        loop: true,
        duration: 0.005,
        steps: [
          { at: 0, p: 0.9 },
          { at: 0.001, until: 0.002, ramp: { from: 0.9, to: 0.1 } },
          { at: 0.002, until: 0.003, sine: { low: 0.2, high: 0.8, period: 0.002 } },
          // 0.004 − 0.003 is a hair under 0.001 in floating point: still a millisecond.
          { at: 0.004, p: 0.5 }
        ]
      },
      'fast.json'
    )
    expect(checked).toMatchObject({ ok: true })
    // Samples scenarios need no such rule: positions are whole samples, one change per sample at most.
    expect(
      validateScenario({ unit: 'samples', loop: true, duration: 1, steps: [ok] }, 'x')
    ).toMatchObject({ ok: true })
  })

  it.each(refused)('refuses %s, naming the step and the reason', (_what, data, step, words) => {
    const checked = validateScenario(data, 'bad.yaml', (i) => 10 + i)
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.problem.source).toBe('bad.yaml')
    expect(checked.problem.step).toBe(step)
    expect(checked.problem.line).toBe(step === null ? null : 9 + step)
    expect(checked.problem.reason).toContain(words)
  })

  it('ignores inherited keys (a "__proto__" in a file)', () => {
    const data = JSON.parse(
      '{"__proto__": {"loop": true}, "steps": [{"at": 0, "p": 0.5}]}'
    ) as unknown
    const checked = validateScenario(data, 'x')
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.problem.reason).toContain('unknown field "__proto__"')
  })

  it('describes a problem as file, step, line and reason', () => {
    expect(
      describeScenarioProblem({ source: 'a.yaml', step: 3, line: 12, reason: 'p must be …' })
    ).toBe('a.yaml: step 3 (line 12): p must be …')
    expect(describeScenarioProblem({ source: 'a.yaml', step: null, line: 4, reason: 'bad' })).toBe(
      'a.yaml: line 4: bad'
    )
    expect(describeScenarioProblem({ source: 'up', step: null, line: null, reason: 'bad' })).toBe(
      'up: bad'
    )
  })
})
