import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createSettingsStore,
  DEFAULT_SETTINGS,
  parseSettings,
  type AppSettings,
  type SettingsFileSystem
} from '../../../src/main/app/settings-store'
import { CodedError, ErrorCode } from '../../../src/shared/error-codes'

const CUSTOM: AppSettings = { port: 9000, p: 0.25, intervalMs: 12.5 }

describe('settings store on disk', () => {
  let dir: string
  let filePath: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bernoulli-settings-'))
    filePath = join(dir, 'nested', 'settings.json')
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('gives the defaults, silently, when there is no file', async () => {
    expect(await createSettingsStore({ filePath }).load()).toEqual({
      settings: DEFAULT_SETTINGS,
      problems: []
    })
  })

  it('round-trips every field, creating the directory', async () => {
    const store = createSettingsStore({ filePath })
    await store.save(CUSTOM)
    expect(await createSettingsStore({ filePath }).load()).toEqual({
      settings: CUSTOM,
      problems: []
    })
    expect(JSON.parse(await readFile(filePath, 'utf8'))).toEqual(CUSTOM)
  })

  it('falls back to the defaults for a corrupted file and says so', async () => {
    const store = createSettingsStore({ filePath })
    await store.save(CUSTOM)
    await writeFile(filePath, '{"port": 9000, "p": 0.2', 'utf8')
    const loaded = await store.load()
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.problems).toHaveLength(1)
    expect(loaded.problems[0]).toMatch(/not valid JSON/)
  })

  it('keeps the last good file when saves follow each other, in call order', async () => {
    const store = createSettingsStore({ filePath })
    await Promise.all([
      store.save(CUSTOM),
      store.save({ ...CUSTOM, p: 0.9 }),
      store.save({ ...CUSTOM, p: 0.1 })
    ])
    expect((await store.load()).settings.p).toBe(0.1)
  })
})

describe('parseSettings', () => {
  it('keeps valid fields and replaces each invalid one by its default', () => {
    const { settings, problems } = parseSettings({
      port: 70000,
      p: 0.3,
      intervalMs: 'fast',
      extra: true
    })
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, p: 0.3 })
    expect(problems).toHaveLength(2)
    expect(problems.join('\n')).toMatch(/port/)
    expect(problems.join('\n')).toMatch(/intervalMs/)
    expect(settings).not.toHaveProperty('extra')
  })

  it.each([null, 42, 'text', [1, 2]])('gives the defaults for a non-object: %j', (raw) => {
    const { settings, problems } = parseSettings(raw)
    expect(settings).toEqual(DEFAULT_SETTINGS)
    expect(problems).toHaveLength(1)
  })

  it('refuses non-integer ports, NaN and infinite values', () => {
    expect(parseSettings({ port: 80.5 }).settings.port).toBe(DEFAULT_SETTINGS.port)
    expect(parseSettings({ p: Number.NaN }).settings.p).toBe(DEFAULT_SETTINGS.p)
    expect(parseSettings({ intervalMs: Infinity }).settings.intervalMs).toBe(
      DEFAULT_SETTINGS.intervalMs
    )
    expect(parseSettings({ port: 0 }).settings.port).toBe(0)
  })

  it('returns a copy, never the shared defaults object', () => {
    const { settings } = parseSettings({})
    settings.port = 1
    expect(DEFAULT_SETTINGS.port).toBe(8888)
  })
})

describe('settings store with an injected file system', () => {
  function memoryFs(
    files: Map<string, string>,
    failures: Partial<Record<keyof SettingsFileSystem, Error>> = {}
  ) {
    const fs: SettingsFileSystem = {
      readFile: async (path) => {
        if (failures.readFile) throw failures.readFile
        const text = files.get(path)
        if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
        return text
      },
      writeFile: async (path, data) => {
        if (failures.writeFile) throw failures.writeFile
        files.set(path, data)
      },
      rename: async (from, to) => {
        const text = files.get(from)
        if (text === undefined) throw new Error(`no ${from}`)
        files.delete(from)
        files.set(to, text)
      },
      mkdir: async () => undefined
    }
    return fs
  }

  it('writes through a temporary file and renames it into place', async () => {
    const files = new Map<string, string>()
    await createSettingsStore({ filePath: '/u/settings.json', fs: memoryFs(files) }).save(CUSTOM)
    expect([...files.keys()]).toEqual(['/u/settings.json'])
  })

  it('reports an unreadable file and uses the defaults', async () => {
    const fs = memoryFs(new Map(), {
      readFile: Object.assign(new Error('denied'), { code: 'EACCES' })
    })
    const loaded = await createSettingsStore({ filePath: '/u/settings.json', fs }).load()
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.problems[0]).toMatch(/denied/)
  })

  it('rejects a failed save but lets the next one through', async () => {
    const files = new Map<string, string>()
    const failing = { writeFile: new Error('disk full') }
    const fs = memoryFs(files, failing)
    const store = createSettingsStore({ filePath: '/u/settings.json', fs })
    await expect(store.save(CUSTOM)).rejects.toThrow('disk full')
    delete (failing as { writeFile?: Error }).writeFile
    await store.save(CUSTOM)
    expect(JSON.parse(files.get('/u/settings.json') ?? '')).toEqual(CUSTOM)
  })

  it('throws on invalid settings: that is a bug in the caller', () => {
    const store = createSettingsStore({ filePath: '/u/settings.json', fs: memoryFs(new Map()) })
    const codeOf = (settings: AppSettings): unknown => {
      try {
        void store.save(settings)
      } catch (error) {
        return error instanceof CodedError ? error.code : (error as Error).name
      }
      return 'saved'
    }
    expect(codeOf({ ...CUSTOM, port: -1 })).toBe(ErrorCode.InvalidPort)
    expect(codeOf({ ...CUSTOM, p: 2 })).toBe(ErrorCode.InvalidP)
    expect(codeOf({ ...CUSTOM, intervalMs: 0 })).toBe(ErrorCode.InvalidInterval)
  })
})
