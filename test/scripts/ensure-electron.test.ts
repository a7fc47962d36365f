import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const SCRIPT = resolve(__dirname, '../../scripts/ensure-electron.mjs')

/** Installer stand-ins: what node_modules/electron/install.js does in each situation. */
const INSTALLERS = {
  // What Electron's installer prints offline (a fetch failure and its stack), then exit 1.
  offline: `
    require('node:fs').writeFileSync(require('node:path').join(__dirname, 'installer-ran'), '')
    console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async downloadArtifact (file:///x/index.js:154:12)')
    process.exit(1)`,
  succeeds: `
    const fs = require('node:fs'); const path = require('node:path')
    fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true })
    fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '')
    fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron')`,
  leavesNothing: `process.exit(0)`,
  crashes: `throw new Error('unexpected')`
}

let packageDir: string

function run(env: Record<string, string | undefined> = {}) {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ENSURE_ELECTRON_PACKAGE_DIR: packageDir,
    ENSURE_ELECTRON_USERNS_SYSCTL: join(packageDir, 'no-such-sysctl'),
    ...env
  }
  delete childEnv.ELECTRON_EXEC_PATH
  if (env.ELECTRON_EXEC_PATH) childEnv.ELECTRON_EXEC_PATH = env.ELECTRON_EXEC_PATH
  const result = spawnSync(process.execPath, [SCRIPT], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 15_000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

async function useInstaller(source: string): Promise<void> {
  await writeFile(join(packageDir, 'install.js'), source, 'utf8')
}

describe('scripts/ensure-electron.mjs', () => {
  beforeEach(async () => {
    packageDir = await mkdtemp(join(tmpdir(), 'fake-electron-'))
    await writeFile(join(packageDir, 'package.json'), JSON.stringify({ version: '45.4.1' }))
  })
  afterEach(async () => {
    await rm(packageDir, { recursive: true, force: true })
  })

  it('does nothing when path.txt names an existing binary', async () => {
    await useInstaller(INSTALLERS.offline)
    await mkdir(join(packageDir, 'dist'))
    await writeFile(join(packageDir, 'dist', 'electron'), '')
    await writeFile(join(packageDir, 'path.txt'), 'electron')
    const result = run()
    expect(result.status).toBe(0)
    expect(result.stdout + result.stderr).toBe('')
    expect(existsSync(join(packageDir, 'installer-ran'))).toBe(false)
  })

  it('prints one clear sentence and no stack trace when the download fails', async () => {
    await useInstaller(INSTALLERS.offline)
    const result = run()
    expect(result.status).toBe(1)
    expect(existsSync(join(packageDir, 'installer-ran'))).toBe(true)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Could not download the Electron binary \(fetch failed\)/)
    expect(lines[0]).toContain('ELECTRON_MIRROR')
    expect(lines[0]).toContain('HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1')
    expect(lines[0]).toContain('npm run serve')
    expect(result.stderr).not.toMatch(/^\s+at /m)
    expect(result.stderr).not.toContain('TypeError')
  })

  it('shows the installer output too when asked to be verbose', async () => {
    await useInstaller(INSTALLERS.offline)
    const result = run({ ENSURE_ELECTRON_VERBOSE: '1' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('at async downloadArtifact')
  })

  it('runs the installer when the binary is missing and succeeds if it installs one', async () => {
    await useInstaller(INSTALLERS.succeeds)
    expect(run().status).toBe(0)
    expect(run().stdout).toBe('')
  })

  it('fails when the installer claims success but leaves no binary', async () => {
    await useInstaller(INSTALLERS.leavesNothing)
    const result = run()
    expect(result.status).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain('left no binary')
  })

  it('condenses an unexpected installer crash into the same one sentence', async () => {
    await useInstaller(INSTALLERS.crashes)
    const result = run()
    expect(result.status).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^Could not download the Electron binary \(unexpected\)/)
  })

  it('honours ELECTRON_EXEC_PATH, and says so when it points nowhere', async () => {
    await useInstaller(INSTALLERS.offline)
    const binary = join(packageDir, 'my-electron')
    await writeFile(binary, '#!/bin/sh\n')
    await chmod(binary, 0o755)
    expect(run({ ELECTRON_EXEC_PATH: binary }).status).toBe(0)
    const missing = run({ ELECTRON_EXEC_PATH: join(packageDir, 'nope') })
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/ELECTRON_EXEC_PATH points to .*nope, which does not exist/)
    expect(existsSync(join(packageDir, 'installer-ran'))).toBe(false)
  })
})
