import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DataSourceSettings } from '../../../src/main/headless/data-source-args'
import { prepareDataSource } from '../../../src/main/headless/prepare-data-source'

let dir: string
let files = 0
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prepare-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function tempFile(text: string, name = `f${++files}.txt`): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

function settings(overrides: Partial<DataSourceSettings>): DataSourceSettings {
  return {
    scenario: undefined,
    record: undefined,
    replay: undefined,
    speed: 1,
    column: undefined,
    follow: undefined,
    badLines: 'skip',
    faults: undefined,
    ...overrides
  }
}

describe('prepareDataSource', () => {
  it('asks for nothing without data-source flags', async () => {
    expect(await prepareDataSource(settings({}))).toEqual({ ok: true, options: {}, notes: [] })
  })

  it('loads a replay file and notes each skipped bad line with its number (skip)', async () => {
    const replay = await tempFile('1\r\n0\r\nx\r\n\r\n# note\r\n1\r\n2\r\n')
    const prepared = await prepareDataSource(settings({ replay, speed: 3 }))
    if (!prepared.ok) throw new Error(prepared.message)
    expect(prepared.notes).toEqual([
      `${replay}:3: expected 0 or 1, got "x" (skipped)`,
      `${replay}:7: expected 0 or 1, got "2" (skipped)`
    ])
    expect(prepared.options.replay).toMatchObject({ path: replay, speed: 3 })
    expect([...prepared.options.replay!.file.values]).toEqual([1, 0, 1])
  })

  it('refuses the whole replay at the first bad line with file and line (fail)', async () => {
    const replay = await tempFile('1\n0\nx\n1\n')
    expect(await prepareDataSource(settings({ replay, badLines: 'fail' }))).toEqual({
      ok: false,
      message: `${replay}:3: expected 0 or 1, got "x"`
    })
  })

  it('counts bad lines past the reported ones in one note', async () => {
    const replay = await tempFile('1\n' + 'bad\n'.repeat(25))
    const prepared = await prepareDataSource(settings({ replay }))
    if (!prepared.ok) throw new Error(prepared.message)
    expect(prepared.notes).toHaveLength(21)
    expect(prepared.notes.at(-1)).toBe(`${replay}: 5 more bad lines skipped`)
  })

  it('refuses an empty replay file and a missing one, naming them', async () => {
    const empty = await tempFile('')
    const emptyResult = await prepareDataSource(settings({ replay: empty }))
    expect(emptyResult.ok).toBe(false)
    expect(!emptyResult.ok && emptyResult.message).toMatch(new RegExp(`^${empty}: `))
    const missing = join(dir, 'nope.txt')
    expect(await prepareDataSource(settings({ replay: missing }))).toEqual({
      ok: false,
      message: `${missing}: no such file`
    })
  })

  it('reads the CSV column asked for, and refuses a column that is not there', async () => {
    const replay = await tempFile('time,hit\r\n1,1\r\n2,0\r\n', 'data.csv')
    const prepared = await prepareDataSource(settings({ replay, column: 'hit' }))
    if (!prepared.ok) throw new Error(prepared.message)
    expect([...prepared.options.replay!.file.values]).toEqual([1, 0])
    const wrong = await prepareDataSource(settings({ replay, column: 'miss' }))
    expect(wrong.ok).toBe(false)
    expect(!wrong.ok && wrong.message).toContain('no column named "miss"')
  })

  it('checks a followed file exists and is a file, without reading it', async () => {
    const follow = await tempFile('not samples at all\n')
    expect(await prepareDataSource(settings({ follow, badLines: 'fail' }))).toEqual({
      ok: true,
      options: { follow: { path: follow, badLines: 'fail' } },
      notes: []
    })
    const missing = join(dir, 'gone.txt')
    expect(await prepareDataSource(settings({ follow: missing }))).toEqual({
      ok: false,
      message: `${missing}: no such file`
    })
    expect(await prepareDataSource(settings({ follow: dir }))).toEqual({
      ok: false,
      message: `${dir}: not a file`
    })
  })

  it('never overwrites a recording: an existing --record path is refused', async () => {
    const existing = await tempFile('old recording')
    const refused = await prepareDataSource(settings({ record: existing }))
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.message).toContain(`${existing} already exists`)
    const fresh = join(dir, 'new-recording.ndjson')
    const prepared = await prepareDataSource(settings({ record: fresh }))
    expect(prepared.ok && prepared.options.record).toBe(fresh)
  })

  it('refuses a bad scenario file and passes a good one on with its text', async () => {
    const bad = await tempFile('steps: [', 'bad.yaml')
    const refused = await prepareDataSource(settings({ scenario: bad }))
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.message).toContain(bad)
    const good = 'examples/scenarios/change-point.yaml'
    const prepared = await prepareDataSource(settings({ scenario: good }))
    if (!prepared.ok) throw new Error(prepared.message)
    expect(prepared.options.scenario).toEqual({
      text: await readFile(good, 'utf8'),
      name: good
    })
  })

  it('passes --faults on as the service-wide fault request', async () => {
    const prepared = await prepareDataSource(
      settings({ faults: { spec: 'drop=0.5', request: { drop: 0.5 } } })
    )
    expect(prepared).toEqual({ ok: true, options: { faults: { drop: 0.5 } }, notes: [] })
  })
})
