#!/usr/bin/env node
// Makes sure Electron's binary is on disk before `electron-vite dev|preview`, the desktop smoke
// test or electron-builder need it. Electron >= 42 no longer downloads it at `npm install`; its
// own installer (node_modules/electron/install.js, the `install-electron` command) does, and on
// failure it dies with a stack trace that says "fetch failed" whatever went wrong. This wrapper
// runs that installer with a reporter that shows the download's progress and records the real
// cause, and on failure prints one sentence that tells an old Node, a checksum mismatch, a proxy
// problem and being offline apart. On Linux it then warns when AppArmor will stop Electron's
// sandbox (Ubuntu 23.10+), with the fix.
//
// Environment:
//   ELECTRON_EXEC_PATH             an Electron binary to use instead (electron-vite honours it too)
//   ELECTRON_MIRROR                a download mirror, passed through to the installer
//   HTTPS_PROXY + ELECTRON_GET_USE_PROXY=1   download through a proxy (both are needed)
//   ENSURE_ELECTRON_PACKAGE_DIR    the electron package directory (tests point it at a copy)
//   ENSURE_ELECTRON_USERNS_SYSCTL  the AppArmor sysctl to read (tests point it at a file)
//   ENSURE_ELECTRON_VERBOSE=1      also print the installer's own output when it fails
// Exit status: 0 when the binary is present (or was installed), 1 otherwise.

import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { canRequireEsm, diagnose, oldNodeSentence } from './electron-install/diagnosis.mjs'
import { createProgress } from './electron-install/progress.mjs'
import { checkUserNamespaces, USERNS_SYSCTL } from './electron-install/sandbox-check.mjs'

const REPORTER = new URL('./electron-install/fetch-reporter.mjs', import.meta.url).href
const REPORT_FD = 3

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

/** Runs the installer with the reporter; resolves to its exit status, output and reports. */
function runInstaller(installer, progress) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', REPORTER, installer], {
      env: { ...process.env, ENSURE_ELECTRON_REPORT_FD: String(REPORT_FD) },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe']
    })
    let output = ''
    let pending = ''
    const reports = []
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.stdio[REPORT_FD].on('data', (chunk) => {
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        try {
          const report = JSON.parse(line)
          reports.push(report)
          progress.update(report)
        } catch {
          // Not a report: ignore.
        }
      }
    })
    child.on('error', (error) =>
      resolve({ status: 1, output: `${output}${error.message}\n`, reports })
    )
    child.on('close', (status, signal) => {
      progress.end()
      resolve({
        status: status ?? 1,
        output: signal ? `${output}killed by ${signal}\n` : output,
        reports
      })
    })
  })
}

/** The electron package's version, or `?` when its package.json cannot be read. */
function packageVersion(packageDir) {
  try {
    return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version ?? '?'
  } catch {
    return '?'
  }
}

function warnAboutSandbox(packageDir) {
  const advice = checkUserNamespaces(
    join(packageDir, 'dist'),
    process.env.ENSURE_ELECTRON_USERNS_SYSCTL ?? USERNS_SYSCTL
  )
  if (advice) console.error(advice)
}

const override = process.env.ELECTRON_EXEC_PATH
if (override) {
  if (existsSync(override)) process.exit(0)
  console.error(`ELECTRON_EXEC_PATH points to ${override}, which does not exist: fix or unset it.`)
  process.exit(1)
}

const packageDir = electronPackageDir()
if (isInstalled(packageDir)) {
  warnAboutSandbox(packageDir)
  process.exit(0)
}
if (!canRequireEsm()) {
  console.error(oldNodeSentence(process.version))
  process.exit(1)
}

const version = packageVersion(packageDir)
console.log(`Electron ${version} is not downloaded yet; fetching it once (about 100 MB)…`)
const result = await runInstaller(
  join(packageDir, 'install.js'),
  createProgress(process.stdout, version)
)
if (result.status === 0 && isInstalled(packageDir)) {
  warnAboutSandbox(packageDir)
  process.exit(0)
}
console.error(
  result.status === 0
    ? 'Electron’s installer finished but left no binary (node_modules/electron/path.txt): ' +
        'delete node_modules/electron and run `npm install` again.'
    : diagnose({
        output: result.output,
        reports: result.reports,
        env: process.env,
        nodeVersion: process.version
      })
)
if (process.env.ENSURE_ELECTRON_VERBOSE === '1') console.error(result.output)
process.exit(1)
