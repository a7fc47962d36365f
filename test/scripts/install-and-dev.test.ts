import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/built-app'
import {
  freePort,
  startMirror,
  writeStandInRelease,
  type ElectronMirror
} from '../support/electron-mirror'

// The first run as a user meets it (`npm install && npm run dev` on a machine without the
// Electron binary), through the project's real scripts and config: ensure-electron runs
// Electron's own installer against a loopback mirror serving a stand-in binary; electron-vite
// dev then builds main and preload, starts the renderer's dev server and spawns the stand-in.
// It runs in a copy of the project whose node_modules links to ours except for electron and
// electron-vite (copied, so the download lands in the copy): our node_modules/electron is left
// exactly as it was.

const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron')
const VERSION = (
  JSON.parse(readFileSync(join(ELECTRON_DIR, 'package.json'), 'utf8')) as {
    version: string
  }
).version
const PROJECT_FILES = [
  'package.json',
  'electron.vite.config.ts',
  'tsconfig.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'playwright.desktop.config.ts',
  'desktop-smoke',
  'src',
  'scripts'
]
const COPIED_PACKAGES = new Set(['electron', 'electron-vite'])
const RUN_TIMEOUT_MS = 150_000

let work: string
let mirror: ElectronMirror

/** A fingerprint of a directory tree: every path with its size and modification time. */
function fingerprint(dir: string): string[] {
  const entries: string[] = []
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name)
      const stat = statSync(path)
      entries.push(`${relative(dir, path)} ${stat.size} ${stat.mtimeMs}`)
      if (stat.isDirectory()) walk(path)
    }
  }
  walk(dir)
  return entries
}

/** A copy of the project in `dir`: sources and configs, node_modules linked except two packages. */
async function copyProject(dir: string): Promise<void> {
  for (const file of PROJECT_FILES) await cp(join(ROOT, file), join(dir, file), { recursive: true })
  const modules = join(dir, 'node_modules')
  await mkdir(join(modules, '.bin'), { recursive: true })
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === '.bin' || name.startsWith('.')) continue
    const source = join(ROOT, 'node_modules', name)
    if (COPIED_PACKAGES.has(name)) await cp(source, join(modules, name), { recursive: true })
    else await symlink(source, join(modules, name), 'dir')
  }
  await symlink('../electron-vite/bin/electron-vite.js', join(modules, '.bin', 'electron-vite'))
}

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `npm <args>` in `cwd` and resolves when it exits (no time limit but the test's). */
function npm(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((done, fail) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
    for (const key of [
      'ELECTRON_EXEC_PATH',
      'ELECTRON_RENDERER_URL',
      'ELECTRON_OVERRIDE_DIST_PATH'
    ])
      delete childEnv[key]
    const child = spawn('npm', args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

/** Lines that are ours, not npm's own report of a failed script. */
function ownLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !/^npm (error|ERR!|warn)/.test(line))
}

const before = fingerprint(ELECTRON_DIR)

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bernoulli-dev-flow-'))
  await writeStandInRelease(join(work, 'mirror'), VERSION)
  mirror = await startMirror(join(work, 'mirror'))
})

afterAll(async () => {
  await mirror?.close()
  if (work) await rm(work, { recursive: true, force: true })
  // Whatever happened above, our own electron package is exactly as it was.
  expect(fingerprint(ELECTRON_DIR)).toEqual(before)
})

describe.skipIf(process.platform !== 'linux')('npm run dev on a machine without Electron', () => {
  it(
    'downloads the binary through ensure-electron and install-electron, then starts the dev app',
    async () => {
      const project = join(work, 'project')
      await copyProject(project)
      const sysctl = join(work, 'apparmor_restrict_unprivileged_userns')
      await writeFile(sysctl, '1\n')
      const port = await freePort()
      const record = join(work, 'stand-in')
      // The desktop app's own options travel as the README says: npm run dev -- -- <options>.
      const run = await npm(['run', 'dev', '--', '--', '--seed', '42'], project, {
        ELECTRON_MIRROR: mirror.url,
        electron_use_remote_checksums: '1',
        electron_config_cache: join(work, 'cache'),
        BERNOULLI_DEV_PORT: String(port),
        STAND_IN_RECORD: record,
        ENSURE_ELECTRON_USERNS_SYSCTL: sysctl
      })
      expect(run.status, run.stderr).toBe(0)

      // ensure-electron: progress shown, the real installer wrote path.txt and the binary.
      expect(run.stdout).toContain(`Downloading Electron ${VERSION}`)
      expect(run.stdout).toMatch(/ 100 % \(/)
      expect(mirror.requests).toEqual(
        expect.arrayContaining([
          `/v${VERSION}/SHASUMS256.txt`,
          `/v${VERSION}/electron-v${VERSION}-linux-x64.zip`
        ])
      )
      const electron = join(project, 'node_modules', 'electron')
      expect(await readFile(join(electron, 'path.txt'), 'utf8')).toBe('electron')
      expect(existsSync(join(electron, 'dist', 'electron'))).toBe(true)
      // AppArmor restricts user namespaces here (the sysctl says 1) and the helper is not
      // setuid root: one sentence of advice, and the sandbox stays on.
      const advice = ownLines(run.stderr).filter((line) => line.includes('AppArmor'))
      expect(advice).toHaveLength(1)
      expect(advice[0]).toContain('sudo chown root:root')
      expect(advice[0]).toContain('chrome-sandbox')

      // electron-vite dev: main and preload built, the stand-in spawned with the dev server URL.
      expect(existsSync(join(project, 'out', 'main', 'index.js'))).toBe(true)
      expect(existsSync(join(project, 'out', 'preload', 'index.cjs'))).toBe(true)
      const started = JSON.parse(await readFile(`${record}.json`, 'utf8')) as {
        argv: string[]
        url: string
      }
      expect(started.argv).toEqual(['.', '--seed', '42'])
      expect(started.url).toBe(`http://localhost:${port}`)
      const page = await readFile(`${record}.html`, 'utf8')
      expect(page).toContain('<div id="app"></div>')
      expect(page).toContain('<title>Bernoulli Stream</title>')
      expect(page).toContain('/@vite/client')
    },
    RUN_TIMEOUT_MS
  )

  it(
    'npm run test:desktop then stops at one sentence: the stand-in cannot launch as Electron',
    async () => {
      const project = join(work, 'project')
      const run = await npm(['run', 'test:desktop'], project, {
        ELECTRON_MIRROR: mirror.url,
        STAND_IN_RECORD: undefined,
        ENSURE_ELECTRON_USERNS_SYSCTL: join(work, 'no-such-sysctl')
      })
      expect(run.status).toBe(1)
      const lines = ownLines(run.stderr)
      expect(lines, run.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(
        /^Cannot launch Electron here: .*node_modules[\\/]electron[\\/]dist[\\/]electron does not answer --version like Electron \(exit 3, printed nothing\), so the desktop smoke test cannot run; /
      )
    },
    RUN_TIMEOUT_MS
  )

  it(
    'offline: one clear sentence and a non-zero exit, nothing started',
    async () => {
      const project = join(work, 'offline')
      await copyProject(project)
      const record = join(work, 'offline-stand-in')
      const run = await npm(['run', 'dev'], project, {
        ELECTRON_MIRROR: 'http://electron-mirror.invalid/',
        electron_config_cache: join(work, 'offline-cache'),
        STAND_IN_RECORD: record,
        HTTPS_PROXY: undefined,
        HTTP_PROXY: undefined,
        https_proxy: undefined,
        http_proxy: undefined
      })
      expect(run.status).not.toBe(0)
      const lines = ownLines(run.stderr)
      expect(lines, run.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(
        /^Could not download the Electron binary: electron-mirror\.invalid cannot be resolved \((ENOTFOUND|EAI_AGAIN)\), so this machine seems to be offline; /
      )
      expect(lines[0]).toContain('ELECTRON_MIRROR')
      expect(lines[0]).toContain('npm run serve')
      expect(existsSync(join(project, 'node_modules', 'electron', 'path.txt'))).toBe(false)
      expect(existsSync(`${record}.json`)).toBe(false)
      // The smoke test says the same and stops.
      const smoke = await npm(['run', 'test:desktop'], project, {
        ELECTRON_MIRROR: 'http://electron-mirror.invalid/',
        electron_config_cache: join(work, 'offline-cache')
      })
      expect(smoke.status).toBe(1)
      expect(ownLines(smoke.stderr)).toEqual([lines[0]])
    },
    RUN_TIMEOUT_MS
  )
})
