import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { createStreamService, type StreamService } from '../../src/main/stream-service'
import { ROOT } from '../support/built-app'

const run = promisify(execFile)
// Debian's interpreter has python3-tornado (.ci/run installs it); another python3 on PATH may not.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
const services: StreamService[] = []
const children: ChildProcess[] = []

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  await Promise.all(services.splice(0).map((s) => s.close()))
})

/** A child process whose output a test can wait for, line by line, without sleeping. */
function runWatched(command: string, args: string[], timeoutMs = 30_000) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stdout = ''
  let stderr = ''
  const waiters = new Set<() => void>()
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const wake of waiters) wake()
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; stdout: string }>((done) =>
    child.on('exit', (code) => done({ code, stdout }))
  )
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  void exited.then(() => clearTimeout(timer))
  return {
    exited,
    /** Resolves once stdout matches `pattern`; rejects if the process exits first. */
    output: (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            waiters.delete(check)
            resolve()
          }
        }
        waiters.add(check)
        check()
        void exited.then(() =>
          reject(new Error(`exited before printing ${pattern}:\n${stdout}\n${stderr}`))
        )
      })
  }
}

async function start(token: string | null = null) {
  const service = createStreamService({ port: 0, intervalMs: 2, controlToken: token })
  services.push(service)
  const info = await service.listen()
  return { service, info }
}

describe('the examples in docs/protocol.md work as written', () => {
  it('examples/json-client.mjs (Node) receives samples and steers p with a token', async () => {
    const { service, info } = await start('example-token')
    const { stdout } = await run(
      process.execPath,
      [resolve(ROOT, 'examples/json-client.mjs'), info.jsonStreamUrl, '50', 'example-token', '0.3'],
      { timeout: 15_000 }
    )
    expect(stdout).toMatch(/^hello: p=0\.72 interval=2 ms$/m)
    expect(stdout).toMatch(/^ack 1: p is now 0\.3$/m)
    expect(stdout).toMatch(/^received 5\d samples; posterior mean 0\.\d{4}$/m)
    expect(service.state().p).toBe(0.3)
  })

  it('examples/json_client.py (Python, Tornado) receives samples, resuming across a server restart', async () => {
    const { service, info } = await start()
    const child = runWatched(PYTHON, [
      resolve(ROOT, 'examples/json_client.py'),
      info.jsonStreamUrl,
      '400'
    ])
    // Restart only once the client has said it is connected (importing Tornado alone takes ~0.4 s).
    await child.output(/^hello: /m)
    await service.close()
    const again = createStreamService({ port: info.port, intervalMs: 2, controlToken: null })
    services.push(again)
    await again.listen()
    const { code, stdout } = await child.exited
    expect(code).toBe(0)
    expect(stdout).toMatch(/^hello: p=0\.72 interval=2 ms$/m)
    expect(stdout).toMatch(/^server restarted; resuming its new stream from the start$/m)
    expect(stdout).toMatch(/^received \d{3} samples; posterior mean 0\.\d{4}$/m)
  })

  it('bench/reference/tornado_client.py, the reference client, reads the reference dialect', async () => {
    const { info } = await start()
    const { stdout } = await run(
      PYTHON,
      [resolve(ROOT, 'bench/reference/tornado_client.py'), info.referenceUrl, '30'],
      { timeout: 30_000 }
    )
    const lines = stdout.trim().split('\n')
    expect(lines.slice(0, 30).every((l) => l === '0' || l === '1')).toBe(true)
    expect(lines.at(-1)).toMatch(/^received 30 samples, mean /)
  })
})
