import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  loadScenarioFile,
  MAX_SCENARIO_BYTES,
  parseScenarioText,
  syntaxOfName
} from '../../../src/main/scenario/scenario-file'

// The real parser, watched: a valid JSON scenario must not pay for a YAML parse.
vi.mock('yaml', async (importOriginal) => {
  const yaml = await importOriginal<typeof import('yaml')>()
  return { ...yaml, parseDocument: vi.fn(yaml.parseDocument) }
})

const EXAMPLES = resolve(__dirname, '../../../examples/scenarios')
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scenario-file-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('parseScenarioText', () => {
  it('reads the minimal JSON form and the same scenario in YAML', () => {
    const json = parseScenarioText(
      '{"steps":[{"at":0,"p":0.9},{"at":2,"p":0.1}]}',
      'a.json',
      'json'
    )
    const yaml = parseScenarioText(
      'steps:\n  - at: 0\n    p: 0.9\n  - { at: 2, p: 0.1 }\n',
      'a.yaml',
      'yaml'
    )
    expect(json.ok && yaml.ok).toBe(true)
    if (json.ok && yaml.ok) expect(yaml.scenario).toEqual(json.scenario)
  })

  it('refuses nesting too deep for the YAML parser, as often as it is sent, in JSON and YAML', () => {
    // Before the guard, 2 KB of "[" overflowed the parser's stack, and a second one in the same
    // process killed it (a fatal out-of-memory in V8): one upload, twice, ended the server.
    for (const [text, syntax] of [
      ['['.repeat(2000), 'json'],
      ['['.repeat(2000), 'yaml'],
      [`${'- '.repeat(60_000)}x\n`, 'yaml'],
      ['{"steps": '.repeat(12_000), 'auto']
    ] as const) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const checked = parseScenarioText(text, 'deep', syntax)
        expect(checked.ok).toBe(false)
        if (!checked.ok) expect(checked.problem.reason).toMatch(/^nested /)
      }
    }
  })

  it('reads valid JSON with JSON.parse alone; the YAML parse that finds lines runs only for a refusal', () => {
    // A 79 KB JSON scenario spent 130–320 ms in the YAML parser (JSON.parse: under 1 ms), blocking every stream.
    const steps = Array.from({ length: 1000 }, (_, i) => ({ at: i * 10, p: 0.5 }))
    vi.mocked(parseDocument).mockClear()
    expect(parseScenarioText(JSON.stringify({ steps }), 'big.json', 'json').ok).toBe(true)
    expect(parseDocument).not.toHaveBeenCalled()
    steps[999] = { at: 9990, p: 2 }
    const refused = parseScenarioText(JSON.stringify({ steps }, null, 1), 'big.json', 'json')
    expect(refused).toMatchObject({ ok: false, problem: { step: 1000, line: 3 + 999 * 4 } })
    expect(parseDocument).toHaveBeenCalledTimes(1)
  })

  it('names the line of the step at fault, in YAML and in JSON', () => {
    const yaml = 'name: bad\nsteps:\n  - at: 0\n    p: 0.5\n  - at: 3\n    p: 1.7\n'
    expect(parseScenarioText(yaml, 'bad.yaml', 'yaml')).toEqual({
      ok: false,
      problem: {
        source: 'bad.yaml',
        step: 2,
        line: 5,
        reason: '"p": p must be a number from 0 to 1, got 1.7'
      }
    })
    const json = '{\n  "steps": [\n    {"at": 0, "p": 0.5},\n    {"at": -2, "p": 0.1}\n  ]\n}'
    const checked = parseScenarioText(json, 'bad.json', 'json')
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.problem).toMatchObject({ step: 2, line: 4 })
  })

  it('reports syntax errors with their line, and never throws', () => {
    const yaml = parseScenarioText('steps:\n  - at: 0\n   p: [\n', 'x.yaml', 'yaml')
    expect(yaml.ok).toBe(false)
    if (!yaml.ok) {
      expect(yaml.problem.reason).toMatch(/^not valid YAML: /)
      expect(yaml.problem.line).toBeGreaterThan(1)
    }
    const json = parseScenarioText('{"steps": [', 'x.json', 'json')
    expect(json.ok).toBe(false)
    if (!json.ok) expect(json.problem.reason).toMatch(/^not valid JSON: /)
  })

  it('refuses duplicate keys and runaway aliases in YAML', () => {
    const duplicate = parseScenarioText('steps: []\nsteps: []\n', 'd.yaml', 'yaml')
    expect(duplicate.ok).toBe(false)
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`
      )
    bomb.push('steps: [{at: 0, p: 0.5}]')
    const checked = parseScenarioText(bomb.join('\n'), 'bomb.yaml', 'yaml')
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.problem.reason).toMatch(/alias|unknown field/i)
  })

  it('sniffs the syntax when the name says nothing', () => {
    expect(syntaxOfName('a.JSON')).toBe('json')
    expect(syntaxOfName('a.yml')).toBe('yaml')
    expect(syntaxOfName('upload')).toBe('auto')
    expect(parseScenarioText(' {"steps":[{"at":0,"p":0.2}]}', 'upload', 'auto').ok).toBe(true)
    expect(parseScenarioText('steps:\n  - {at: 0, p: 0.2}\n', 'upload', 'auto').ok).toBe(true)
  })

  it('refuses text over the size limit before parsing it', () => {
    const checked = parseScenarioText(' '.repeat(MAX_SCENARIO_BYTES + 1), 'big', 'auto')
    expect(checked.ok).toBe(false)
    if (!checked.ok) expect(checked.problem.reason).toContain('larger than 128 KiB')
  })
})

describe('loadScenarioFile', () => {
  it('loads a file by its extension', async () => {
    const path = join(dir, 'ok.yml')
    await writeFile(path, 'steps:\n  - {at: 0, p: 0.25}\n')
    const checked = await loadScenarioFile(path)
    expect(checked.ok).toBe(true)
  })

  it('refuses a missing file, a directory and a huge file with the file named', async () => {
    const missing = await loadScenarioFile(join(dir, 'nope.json'))
    expect(missing).toMatchObject({
      ok: false,
      problem: { source: join(dir, 'nope.json'), reason: 'no such file' }
    })
    expect(await loadScenarioFile(dir)).toMatchObject({
      ok: false,
      problem: { reason: 'not a file' }
    })
    const huge = join(dir, 'huge.json')
    await writeFile(huge, ' '.repeat(MAX_SCENARIO_BYTES + 10))
    expect(await loadScenarioFile(huge)).toMatchObject({
      ok: false,
      problem: { reason: expect.stringContaining('larger') }
    })
  })

  it('accepts every example scenario shipped in examples/scenarios', async () => {
    const names = (await readdir(EXAMPLES)).filter((name) => /\.(json|ya?ml)$/.test(name))
    expect(names.length).toBeGreaterThanOrEqual(4)
    for (const name of names) {
      const checked = await loadScenarioFile(join(EXAMPLES, name))
      expect(checked.ok ? 'ok' : checked.problem.reason, name).toBe('ok')
    }
  })
})
