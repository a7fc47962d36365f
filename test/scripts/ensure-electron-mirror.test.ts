import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ROOT } from '../support/built-app'
import {
  freePort,
  startMirror,
  writeStandInRelease,
  type ElectronMirror
} from '../support/electron-mirror'

// ensure-electron with Electron's real installer (a copy of node_modules/electron) against a
// loopback mirror: each way a download fails gets its own sentence. The installer's helpers
// (@electron/get, its zip extractor) resolve from our node_modules through links.

const SCRIPT = join(ROOT, 'scripts', 'ensure-electron.mjs')
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string
  }
).version

let work: string
let good: ElectronMirror
let tampered: ElectronMirror
let packageDir: string
let caseNumber = 0

function run(env: Record<string, string | undefined>, nodeArgs: string[] = []) {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ENSURE_ELECTRON_PACKAGE_DIR: packageDir,
    ENSURE_ELECTRON_USERNS_SYSCTL: join(work, 'no-such-sysctl'),
    electron_config_cache: join(work, `cache-${caseNumber}`),
    electron_use_remote_checksums: '1',
    ...env
  }
  for (const key of Object.keys(childEnv)) {
    if (childEnv[key] === undefined || /^(https?_proxy|ELECTRON_EXEC_PATH)$/i.test(key))
      if (!(key in env) || env[key] === undefined) delete childEnv[key]
  }
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [...nodeArgs, SCRIPT], { env: childEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

/** The one line ensure-electron printed on stderr. */
function sentence(stderr: string): string {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  return lines[0]!
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bernoulli-ensure-'))
  await writeStandInRelease(join(work, 'good'), VERSION)
  await writeStandInRelease(join(work, 'tampered'), VERSION, { badChecksum: true })
  good = await startMirror(join(work, 'good'))
  tampered = await startMirror(join(work, 'tampered'))
})

beforeEach(async () => {
  caseNumber++
  // A fresh copy of the electron package for each case, inside a node_modules whose
  // @electron/get is ours: the installer resolves its helpers as it would in the project.
  const modules = join(work, `modules-${caseNumber}`, 'node_modules')
  await mkdir(modules, { recursive: true })
  packageDir = join(modules, 'electron')
  await cp(join(ROOT, 'node_modules', 'electron'), packageDir, { recursive: true })
  for (const scope of ['@electron', '@electron-internal'])
    await symlink(join(ROOT, 'node_modules', scope), join(modules, scope), 'dir')
})

afterAll(async () => {
  await good?.close()
  await tampered?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

describe.skipIf(process.platform !== 'linux')('ensure-electron against a loopback mirror', () => {
  it('installs from a good mirror, showing progress, and is silent the second time', async () => {
    const first = await run({ ELECTRON_MIRROR: good.url })
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toContain(`Downloading Electron ${VERSION} (0.0 MB) from 127.0.0.1:`)
    expect(first.stdout).toMatch(/ 100 % \(0\.0 MB of 0\.0 MB\)/)
    expect(readFileSync(join(packageDir, 'path.txt'), 'utf8')).toBe('electron')
    const second = await run({ ELECTRON_MIRROR: good.url })
    expect(second).toMatchObject({ status: 0, stdout: '', stderr: '' })
  })

  it('tells a checksum mismatch apart', async () => {
    const result = await run({ ELECTRON_MIRROR: tampered.url })
    expect(result.status).toBe(1)
    expect(sentence(result.stderr)).toMatch(
      /^The downloaded Electron binary does not match its published SHA-256 checksum/
    )
    expect(existsSync(join(packageDir, 'path.txt'))).toBe(false)
  })

  it('says the mirror has no such build on HTTP 404', async () => {
    const result = await run({ ELECTRON_MIRROR: `${good.url}nothing-here/` })
    expect(sentence(result.stderr)).toMatch(
      /^The download server answered HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/nothing-here\/v[\d.]+\/electron-v[\d.]+-linux-x64\.zip: .*ELECTRON_MIRROR/
    )
  })

  it('names a refused connection and the proxy variables', async () => {
    const closed = await freePort()
    const result = await run({ ELECTRON_MIRROR: `http://127.0.0.1:${closed}/` })
    const line = sentence(result.stderr)
    expect(line).toContain(`cannot connect to 127.0.0.1:${closed} (ECONNREFUSED)`)
    expect(line).toContain('HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1')
  })

  it('blames the proxy when the download goes through one that is down', async () => {
    const proxyPort = await freePort()
    const result = await run({
      ELECTRON_MIRROR: good.url,
      HTTP_PROXY: `http://user:secret@127.0.0.1:${proxyPort}`,
      ELECTRON_GET_USE_PROXY: '1'
    })
    const line = sentence(result.stderr)
    expect(line).toMatch(
      new RegExp(
        `^Could not download the Electron binary through the proxy http://user:\\*\\*\\*@127\\.0\\.0\\.1:${proxyPort} from HTTP_PROXY \\(ECONNREFUSED\\)`
      )
    )
    expect(line).not.toContain('secret')
  })

  it('says a proxy variable alone is not enough', async () => {
    const closed = await freePort()
    const result = await run({
      ELECTRON_MIRROR: `http://127.0.0.1:${closed}/`,
      HTTPS_PROXY: 'http://127.0.0.1:3128'
    })
    expect(sentence(result.stderr)).toContain(
      "HTTPS_PROXY is set, but Electron's downloader uses a proxy only with ELECTRON_GET_USE_PROXY=1"
    )
  })

  it('tells a Node without require(esm) apart before downloading anything', async () => {
    const requests = good.requests.length
    const result = await run({ ELECTRON_MIRROR: good.url }, ['--no-experimental-require-module'])
    expect(result.status).toBe(1)
    expect(sentence(result.stderr)).toMatch(
      /^Node v[\d.]+ cannot run Electron's installer, which needs require\(esm\) \(Node 20\.19\+ or 22\.12\+\): install Node 22 LTS/
    )
    expect(good.requests.length).toBe(requests)
  })
})
