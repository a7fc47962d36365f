import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Packages the app for Linux against a stand-in "Electron distribution" (electronDist on the
// command line, never in electron-builder.yml), then checks what went into resources/app.asar.
// Runs offline in seconds; a real Electron is not needed to check the file list.

const ROOT = resolve(__dirname, '../..')
const BIN = join(ROOT, 'node_modules', '.bin')
const REQUIRED_BUILD_OUTPUT = [
  'out/main/index.js',
  'out/main/headless.js',
  'out/preload/index.cjs',
  'out/renderer/index.html'
]
const PACKAGE_TIMEOUT_MS = 120_000

interface PackageJson {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  productName?: string
}
interface LockEntry {
  dev?: boolean
  devOptional?: boolean
}

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson
// @electron/asar is electron-builder's own (through app-builder-lib): resolve it from there, so
// the test does not depend on npm hoisting it to the top of node_modules.
const fromRoot = createRequire(join(ROOT, 'package.json'))
const fromBuilderLib = createRequire(fromRoot.resolve('app-builder-lib/package.json'))
const asar = fromBuilderLib('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[]
}

let workDir: string
let entries: string[]
let appOutDir: string

/** Builds out/ with electron-vite when any required file is missing, and fails clearly if it stays so. */
function ensureBuildOutput(): void {
  const missing = (): string[] =>
    REQUIRED_BUILD_OUTPUT.filter((file) => !existsSync(join(ROOT, file)))
  if (missing().length === 0) return
  try {
    execFileSync(join(BIN, 'electron-vite'), ['build'], { cwd: ROOT, stdio: 'pipe' })
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error)
    throw new Error(
      `\`electron-vite build\` failed, so there is nothing to package:\n${output.slice(-2000)}`,
      { cause: error }
    )
  }
  if (missing().length > 0) {
    throw new Error(
      `electron-vite build did not produce ${missing().join(', ')}; run it and check its output`
    )
  }
}

/** The smallest directory electron-builder accepts as an unpacked Electron: one executable. */
async function createElectronStandIn(dir: string): Promise<void> {
  const executable = join(dir, 'electron')
  await writeFile(
    executable,
    '#!/bin/sh\necho "stand-in for Electron, used to test packaging" >&2\nexit 1\n'
  )
  await chmod(executable, 0o755)
}

/** Names of the production dependencies, transitive ones included, as package-lock.json records them. */
function productionPackages(): Set<string> {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>
  }
  const names = new Set<string>()
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.devOptional) continue
    names.add(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
  }
  return names
}

/** Top-level package names under /node_modules in the archive (`ws`, `@scope/name`). */
function packagedModules(list: string[]): Set<string> {
  const names = new Set<string>()
  for (const entry of list) {
    const match = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)(\/|$)/.exec(entry)
    if (match?.[1] && !/^@[^/]+$/.test(match[1])) names.add(match[1])
  }
  return names
}

beforeAll(async () => {
  ensureBuildOutput()
  workDir = await mkdtemp(join(tmpdir(), 'bernoulli-package-'))
  const electronDist = join(workDir, 'electron-dist')
  const output = join(workDir, 'dist')
  await mkdir(electronDist)
  await createElectronStandIn(electronDist)
  const started = Date.now()
  try {
    execFileSync(
      join(BIN, 'electron-builder'),
      [
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`
      ],
      { cwd: ROOT, stdio: 'pipe', env: { ...process.env, CI: '1' } }
    )
  } catch (error) {
    const detail =
      (error as { stdout?: Buffer; stderr?: Buffer }).stderr?.toString() ?? String(error)
    throw new Error(`electron-builder --linux dir failed:\n${detail.slice(-3000)}`, {
      cause: error
    })
  }
  console.info(`[packaging] electron-builder --linux dir took ${Date.now() - started} ms`)
  const unpacked = readdirSync(output).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name))
  if (!unpacked) throw new Error(`no linux-*-unpacked directory in ${output}`)
  appOutDir = join(output, unpacked)
  entries = asar.listPackage(join(appOutDir, 'resources', 'app.asar'), { isPack: false })
}, PACKAGE_TIMEOUT_MS)

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

describe('packaged app (electron-builder --linux dir)', () => {
  it('contains the built main, headless, preload and renderer entry points', () => {
    for (const file of REQUIRED_BUILD_OUTPUT) expect(entries, file).toContain(`/${file}`)
    expect(entries).toContain('/package.json')
  })

  it('names the executable after the config', () => {
    expect(existsSync(join(appOutDir, 'bernoulli-stream'))).toBe(true)
  })

  it('contains ws, prom-client, yaml and every other production dependency', () => {
    const modules = packagedModules(entries)
    // What the main process loads at run time: the WebSocket server, /metrics, YAML scenarios.
    for (const dependency of ['ws', 'prom-client', 'yaml']) {
      expect(packageJson.dependencies?.[dependency], dependency).toBeDefined()
      expect(modules.has(dependency), dependency).toBe(true)
    }
    for (const dependency of Object.keys(packageJson.dependencies ?? {})) {
      expect(modules.has(dependency), dependency).toBe(true)
    }
  })

  it('contains the dependencies of the production dependencies (prom-client needs its own)', () => {
    const modules = packagedModules(entries)
    const missing = [...productionPackages()].filter((name) => !modules.has(name))
    expect(missing).toEqual([])
    expect(modules.has('tdigest')).toBe(true)
  })

  it('contains no development dependency, direct or transitive', () => {
    const modules = packagedModules(entries)
    for (const dependency of Object.keys(packageJson.devDependencies ?? {})) {
      expect(modules.has(dependency), dependency).toBe(false)
    }
    const production = productionPackages()
    const unexpected = [...modules].filter((name) => !production.has(name))
    expect(unexpected).toEqual([])
  })

  it('contains no sources, tests, configs or source maps', () => {
    const forbidden = [
      /^\/src\//,
      /^\/test\//,
      /^\/e2e\//,
      /^\/scripts\//,
      /^\/build\//,
      /^\/docs\//,
      /^\/tsconfig[^/]*\.json$/,
      /^\/electron\.vite\.config\./,
      /^\/vitest\.config\./,
      /^\/playwright\.config\./,
      /^\/eslint\.config\./,
      /^\/electron-builder\.yml$/,
      /^\/package-lock\.json$/,
      /\.[cm]?ts$/,
      /\.map$/,
      /\.svelte$/
    ]
    const offending = entries.filter((entry) => forbidden.some((pattern) => pattern.test(entry)))
    expect(offending).toEqual([])
  })

  it('holds at the top only out/, node_modules/ and package.json', () => {
    const top = new Set(entries.map((entry) => entry.split('/')[1]))
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json'])
  })
})
