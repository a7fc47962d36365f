import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import { DEFAULT_PORT } from '../../shared/protocol/messages'
import {
  checkIntervalMs,
  checkP,
  DEFAULT_INTERVAL_MS,
  DEFAULT_P,
  describe
} from '../../shared/sampler-settings'

/** What the desktop app remembers between runs. */
export interface AppSettings {
  /** TCP port of the stream server, integer in [0, 65535]; 0 asks the OS for a free one. Default {@link DEFAULT_PORT}. */
  port: number
  /** Probability of a 1, in [0, 1]. Default {@link DEFAULT_P}. */
  p: number
  /** Milliseconds between samples, in [1, 60000]. Default {@link DEFAULT_INTERVAL_MS}. */
  intervalMs: number
}

export const DEFAULT_SETTINGS: Readonly<AppSettings> = Object.freeze({
  port: DEFAULT_PORT,
  p: DEFAULT_P,
  intervalMs: DEFAULT_INTERVAL_MS
})

/** Settings read from disk, with what had to be replaced by defaults (for the log). */
export interface LoadedSettings {
  settings: AppSettings
  /** Empty when the file was fine or absent; otherwise one line per thing that was wrong. */
  problems: string[]
}

type FieldCheck = (value: unknown) => string | null

const FIELD_CHECKS: { [K in keyof AppSettings]: FieldCheck } = {
  port: (v) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535
      ? null
      : 'an integer port from 0 to 65535',
  p: (v) => (checkP(v).ok ? null : 'a number from 0 to 1'),
  intervalMs: (v) => (checkIntervalMs(v).ok ? null : 'a number of milliseconds from 1 to 60000')
}

/**
 * Reads settings from parsed JSON. Each valid field is kept and each invalid or missing one
 * falls back to its default, so one bad value does not cost the user the others. Unknown
 * fields are dropped.
 */
export function parseSettings(raw: unknown): LoadedSettings {
  const settings: AppSettings = { ...DEFAULT_SETTINGS }
  const problems: string[] = []
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings, problems: [`settings must be a JSON object, got ${describe(raw)}`] }
  }
  const record = raw as Record<string, unknown>
  for (const key of Object.keys(FIELD_CHECKS) as Array<keyof AppSettings>) {
    if (!Object.hasOwn(record, key)) continue
    const expected = FIELD_CHECKS[key](record[key])
    if (expected === null) settings[key] = record[key] as number
    else
      problems.push(
        `${key} must be ${expected}, got ${describe(record[key])}; using ${DEFAULT_SETTINGS[key]}`
      )
  }
  return { settings, problems }
}

/**
 * Throws when `settings` is not fully valid: saving bad values is a programmer error, since
 * every value reaching the store has passed the service's own checks.
 * @throws {CodedError} `E_INVALID_PORT`, `E_INVALID_P`, `E_INVALID_INTERVAL`.
 */
export function assertValidSettings(settings: AppSettings): void {
  const failures = (Object.keys(FIELD_CHECKS) as Array<keyof AppSettings>).filter(
    (key) => FIELD_CHECKS[key](settings[key]) !== null
  )
  const first = failures[0]
  if (first === undefined) return
  const message = `cannot save ${first}=${describe(settings[first])}`
  if (first === 'port') throw new CodedError(ErrorCode.InvalidPort, message)
  if (first === 'p') throw new CodedError(ErrorCode.InvalidP, message)
  throw new CodedError(ErrorCode.InvalidInterval, message)
}

/** The file operations the store needs; `node:fs/promises` by default, a fake in tests. */
export interface SettingsFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>
  rename(from: string, to: string): Promise<void>
  mkdir(path: string, options: { recursive: true }): Promise<unknown>
}

/** Options of {@link createSettingsStore}. */
export interface SettingsStoreOptions {
  /** Absolute path of the JSON file, e.g. `<userData>/settings.json`. */
  filePath: string
  /** File operations; default `node:fs/promises`. */
  fs?: SettingsFileSystem
}

/** Loads and saves {@link AppSettings} as a JSON file. */
export interface SettingsStore {
  /**
   * Reads the file. A missing file gives the defaults silently; an unreadable, non-JSON or
   * partly invalid file gives defaults for what is wrong and says so in `problems`. Never rejects.
   */
  load(): Promise<LoadedSettings>
  /**
   * Writes the settings (validated first) to a temporary file and renames it over the real one,
   * so a crash mid-write leaves the old file intact. Saves run one at a time in call order.
   */
  save(settings: AppSettings): Promise<void>
}

const NODE_FS: SettingsFileSystem = { readFile, writeFile, rename, mkdir }

/** Creates a {@link SettingsStore} for one file. */
export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const fs = options.fs ?? NODE_FS
  const { filePath } = options
  let queue: Promise<void> = Promise.resolve()

  async function load(): Promise<LoadedSettings> {
    let text: string
    try {
      text = await fs.readFile(filePath, 'utf8')
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS }, problems: [] }
      return {
        settings: { ...DEFAULT_SETTINGS },
        problems: [`cannot read ${filePath}: ${errorText(error)}`]
      }
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return {
        settings: { ...DEFAULT_SETTINGS },
        problems: [`${filePath} is not valid JSON; using defaults`]
      }
    }
    return parseSettings(raw)
  }

  function save(settings: AppSettings): Promise<void> {
    assertValidSettings(settings)
    const snapshot: AppSettings = {
      port: settings.port,
      p: settings.p,
      intervalMs: settings.intervalMs
    }
    const write = async (): Promise<void> => {
      const temporary = `${filePath}.tmp`
      await fs.mkdir(dirname(filePath), { recursive: true })
      await fs.writeFile(temporary, `${JSON.stringify(snapshot, null, 2)}\n`, 'utf8')
      await fs.rename(temporary, filePath)
    }
    // A failed save must not block later ones; the caller still sees its own failure.
    const result = queue.then(write)
    queue = result.catch(() => undefined)
    return result
  }

  return { load, save }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { code?: unknown }).code
    : undefined
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
