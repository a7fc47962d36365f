#!/usr/bin/env node
// `npm run test:desktop`: the desktop smoke test (desktop-smoke/, Playwright's _electron) against
// the real Electron, or against a packaged app when BERNOULLI_APP_EXECUTABLE names its
// executable. Where Electron cannot be installed or cannot run, it says so in one sentence and
// exits 1. Extra arguments go to `playwright test`.

import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
// Run through node, never a shell: paths may hold spaces (C:\Program Files\nodejs).
const ENSURE_ELECTRON = join(ROOT, 'scripts', 'ensure-electron.mjs')
const ELECTRON_VITE = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
const PLAYWRIGHT = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js')
const VERSION_TIMEOUT_MS = 60_000

function fail(sentence) {
  console.error(sentence)
  process.exit(1)
}

function node(args) {
  return spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' })
}

/** The development Electron binary, installed by ensure-electron; exits with its sentence if not. */
function developmentElectron() {
  if (node([ENSURE_ELECTRON]).status !== 0) process.exit(1)
  if (process.env.ELECTRON_EXEC_PATH) return process.env.ELECTRON_EXEC_PATH
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  return join(packageDir, 'dist', readFileSync(join(packageDir, 'path.txt'), 'utf8').trim())
}

/** Fails with one sentence unless `electron --version` answers like Electron. */
function checkRuns(electron) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  const result = spawnSync(electron, ['--version'], {
    encoding: 'utf8',
    timeout: VERSION_TIMEOUT_MS,
    env
  })
  const answer = `${result.stdout ?? ''}`.trim()
  if (result.status === 0 && /^v\d+\.\d+\.\d+/.test(answer)) return
  const why = result.error
    ? result.error.message
    : `exit ${result.status ?? result.signal}, ${answer ? `printed "${answer.slice(0, 60)}"` : 'printed nothing'}`
  fail(
    `Cannot launch Electron here: ${electron} does not answer --version like Electron (${why}), ` +
      'so the desktop smoke test cannot run; it needs a real Electron and a display (CI runs it ' +
      'on Linux under xvfb-run, on macOS and on Windows).'
  )
}

const env = { ...process.env }
const packaged = process.env.BERNOULLI_APP_EXECUTABLE
if (packaged) {
  try {
    accessSync(packaged, constants.X_OK)
  } catch {
    fail(
      `Cannot launch the packaged app: ${packaged} (BERNOULLI_APP_EXECUTABLE) is not an executable file.`
    )
  }
} else {
  const electron = developmentElectron()
  checkRuns(electron)
  if (node([ELECTRON_VITE, 'build', '--logLevel', 'warn']).status !== 0) process.exit(1)
  env.BERNOULLI_ELECTRON_PATH = electron
}

const playwright = spawn(
  process.execPath,
  [PLAYWRIGHT, 'test', '-c', 'playwright.desktop.config.ts', ...process.argv.slice(2)],
  { cwd: ROOT, env, stdio: 'inherit' }
)
playwright.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
