#!/usr/bin/env node
// Makes sure Electron's binary is on disk before `electron-vite dev|preview` or electron-builder
// need it. Electron >= 42 no longer downloads it at `npm install`; its own `install-electron`
// (node_modules/electron/install.js) does, and offline that dies with a stack trace. This wrapper
// runs it with its output captured and, on failure, prints one sentence saying what to do.
//
// Environment:
//   ELECTRON_EXEC_PATH             an Electron binary to use instead (electron-vite honours it too)
//   ELECTRON_MIRROR                a download mirror, passed through to install-electron
//   ENSURE_ELECTRON_PACKAGE_DIR    the electron package directory (tests point it at a stand-in)
//   ENSURE_ELECTRON_VERBOSE=1      also print the installer's own output when it fails
// Exit status: 0 when the binary is present (or was installed), 1 otherwise.

import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const MAX_REASON_LENGTH = 120

function electronPackageDir() {
  if (process.env.ENSURE_ELECTRON_PACKAGE_DIR) return process.env.ENSURE_ELECTRON_PACKAGE_DIR
  // Resolve package.json, not the package: requiring `electron` would itself try to download.
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
}

/** True when path.txt names a binary that exists: what electron-vite reads to find Electron. */
function isInstalled(packageDir) {
  const pathFile = join(packageDir, 'path.txt')
  if (!existsSync(pathFile)) return false
  const relative = readFileSync(pathFile, 'utf8').trim()
  return relative !== '' && existsSync(join(packageDir, 'dist', relative))
}

/** Runs the installer with its output captured; resolves to its exit status and output. */
function runInstaller(installer) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => resolve({ status: 1, output: `${output}${error.message}\n` }))
    child.on('close', (status, signal) =>
      resolve({ status: status ?? 1, output: signal ? `${output}killed by ${signal}\n` : output })
    )
  })
}

/** The installer's own reason, e.g. "fetch failed": the message of the first error it printed. */
function reasonFrom(output) {
  const lines = output.split('\n').map((text) => text.trim())
  const line =
    lines.find((text) => /^[A-Za-z]*Error:/.test(text)) ?? lines.find((text) => text !== '') ?? ''
  const reason = line.replace(/^(?:[A-Za-z]*Error:\s*)+/, '')
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason
}

function failureSentence(reason) {
  const because = reason ? ` (${reason})` : ''
  return (
    `Could not download the Electron binary${because}: connect to the internet or set ` +
    'ELECTRON_MIRROR to a reachable mirror and try again, or run `npm run serve` to use ' +
    'Bernoulli Stream headless with its UI in a browser.'
  )
}

const override = process.env.ELECTRON_EXEC_PATH
if (override) {
  if (existsSync(override)) process.exit(0)
  console.error(`ELECTRON_EXEC_PATH points to ${override}, which does not exist: fix or unset it.`)
  process.exit(1)
}

const packageDir = electronPackageDir()
if (isInstalled(packageDir)) process.exit(0)

console.log('Electron binary not found; downloading it once…')
const result = await runInstaller(join(packageDir, 'install.js'))
if (result.status === 0 && isInstalled(packageDir)) process.exit(0)

console.error(
  failureSentence(result.status === 0 ? 'the installer left no binary' : reasonFrom(result.output))
)
if (process.env.ENSURE_ELECTRON_VERBOSE === '1') console.error(result.output)
process.exit(1)
