import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/**
 * The executable inside the stand-in Electron zip: records how it was started and what the
 * renderer dev server serves, then exits (so `electron-vite dev` ends on its own).
 */
const STAND_IN_EXECUTABLE = `#!/usr/bin/env node
// Stand-in for the Electron binary, for tests: records argv, ELECTRON_RENDERER_URL and the page.
const { writeFileSync } = require('node:fs')
const record = process.env.STAND_IN_RECORD
const url = process.env.ELECTRON_RENDERER_URL ?? ''
if (!record) process.exit(3)
writeFileSync(record + '.json', JSON.stringify({ argv: process.argv.slice(2), url }))
if (!url) process.exit(3)
fetch(url)
  .then(async (response) => writeFileSync(record + '.html', await response.text()))
  .then(() => process.exit(0), (error) => { writeFileSync(record + '.error', String(error)); process.exit(4) })
`

/** What a loopback mirror serves and has been asked for. */
export interface ElectronMirror {
  /** `http://127.0.0.1:PORT/`, for ELECTRON_MIRROR. */
  url: string
  /** Request paths, in order. */
  requests: string[]
  close(): Promise<void>
}

/**
 * Writes `v<version>/electron-v<version>-linux-x64.zip` (holding the stand-in `electron`, its
 * `version` and a LICENSE) and `v<version>/SHASUMS256.txt` under `dir`, the layout of Electron's
 * releases. `badChecksum` publishes a wrong hash.
 */
export async function writeStandInRelease(
  dir: string,
  version: string,
  options: { badChecksum?: boolean } = {}
): Promise<void> {
  const release = join(dir, `v${version}`)
  const content = join(dir, 'content')
  await mkdir(release, { recursive: true })
  await mkdir(content, { recursive: true })
  await writeFile(join(content, 'electron'), STAND_IN_EXECUTABLE)
  await chmod(join(content, 'electron'), 0o755)
  await writeFile(join(content, 'version'), version)
  await writeFile(join(content, 'LICENSE'), 'stand-in for tests\n')
  const zipName = `electron-v${version}-linux-x64.zip`
  execFileSync('zip', ['-q', '-X', join(release, zipName), 'electron', 'version', 'LICENSE'], {
    cwd: content
  })
  const hash = createHash('sha256')
    .update(await readFile(join(release, zipName)))
    .digest('hex')
  const published = options.badChecksum ? hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) : hash
  await writeFile(join(release, 'SHASUMS256.txt'), `${published} *${zipName}\n`)
}

/** Serves `dir` over HTTP on 127.0.0.1 (port 0), like `python3 -m http.server`. */
export async function startMirror(dir: string): Promise<ElectronMirror> {
  const requests: string[] = []
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    requests.push(path)
    if (path.includes('..')) {
      response.writeHead(400).end()
      return
    }
    readFile(join(dir, path)).then(
      (body) => response.writeHead(200, { 'Content-Length': body.length }).end(body),
      () => response.writeHead(404).end('not found')
    )
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((done) => server.close(() => done()))
  }
}

/** A TCP port that was free a moment ago (bound to port 0, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((done) => server.close(() => done()))
  return port
}
