import { execFile } from 'node:child_process'
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

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()))
})

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
    const child = run(
      PYTHON,
      [resolve(ROOT, 'examples/json_client.py'), info.jsonStreamUrl, '400'],
      { timeout: 30_000 }
    )
    await new Promise((r) => setTimeout(r, 300))
    await service.close()
    const again = createStreamService({ port: info.port, intervalMs: 2, controlToken: null })
    services.push(again)
    await again.listen()
    const { stdout } = await child
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
