import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, HEADLESS_ENTRY } from '../../support/built-app'
import { TestClient } from '../../support/test-client'

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

const runs: Run[] = []

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const child = spawn(process.execPath, [HEADLESS_ENTRY, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const entry = { child, stdout: () => stdout, stderr: () => stderr, exited }
  runs.push(entry)
  return entry
}

async function waitForOutput(
  r: Run,
  pattern: RegExp,
  timeoutMs = 10_000
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = r.stdout().match(pattern)
    if (match) return match
    if (Date.now() > deadline)
      throw new Error(`no ${pattern} in output:\n${r.stdout()}\n${r.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

beforeAll(() => ensureBuilt(), 120_000)
afterEach(() => {
  for (const r of runs.splice(0)) r.child.kill('SIGKILL')
})

describe('headless entry (npm run serve)', () => {
  it('starts, prints where to connect, serves the reference dialect and the UI, and exits cleanly on SIGTERM', async () => {
    const r = run(['--port', '0', '--interval', '5', '--token', 'child-token-1'])
    const [, port] = await waitForOutput(
      r,
      /Reference dialect:\s+ws:\/\/localhost:(\d+)\/websocket\//
    )
    expect(r.stdout()).toContain(
      `App UI in a browser:  http://127.0.0.1:${port}/#token=child-token-1`
    )
    expect(r.stdout()).toContain('reachable from this machine only')
    const client = new TestClient(`ws://localhost:${port}/websocket/`)
    await client.until((c) => c.frames.length >= 5)
    expect(client.frames.every((f) => f === '0' || f === '1')).toBe(true)
    const page = await fetch(`http://127.0.0.1:${port}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="app"')
    r.child.kill('SIGTERM')
    expect(await r.exited).toBe(0)
    await client.closed
    expect(client.closeCode).toBe(1001)
    expect(r.stdout()).toContain('Stopped.')
    expect(r.stderr()).toBe('')
  })

  it('exits 0 on SIGINT (Ctrl-C) too', async () => {
    const r = run(['--port', '0'])
    await waitForOutput(r, /Ctrl-C stops/)
    r.child.kill('SIGINT')
    expect(await r.exited).toBe(0)
  })

  it('warns when bound beyond loopback', async () => {
    const r = run(['--port', '0', '--host', '0.0.0.0'])
    await waitForOutput(
      r,
      /WARNING: bound to 0\.0\.0\.0: the stream is reachable from your network/
    )
  })

  it('reports a port in use in one line, without a stack trace, and exits 1', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    const r = run(['--port', String(port)])
    expect(await r.exited).toBe(1)
    expect(r.stderr()).toBe(
      `Error: port ${port} on 127.0.0.1 is already in use. Pick another with --port <number>, or --port 0 for any free port.\n`
    )
    await new Promise((resolve) => blocker.close(resolve))
  })

  it('refuses bad flags with a clear message and exit code 2', async () => {
    const r = run(['--p', 'lots'])
    expect(await r.exited).toBe(2)
    expect(r.stderr()).toBe(
      'Error: --p must be a number, got "lots"\nRun with --help to see every option.\n'
    )
  })

  it.each([
    [['--p', '-0.5'], '--p: p must be a number from 0 to 1, got -0.5'],
    [
      ['--ping-interval', '1000', '--peer-timeout', '500'],
      '--peer-timeout (500 ms) must be longer than --ping-interval (1000 ms): a peer answers a ping at most once per interval'
    ],
    [['--host', '[::1]'], '--host takes an IPv6 address without brackets: --host ::1'],
    [['--port', '0', '--port', '1'], '--port was given twice (0, then 1); give it once']
  ])('refuses %j in one sentence with exit code 2', async (args, sentence) => {
    const r = run(args)
    expect(await r.exited).toBe(2)
    expect(r.stderr()).toBe(`Error: ${sentence}\nRun with --help to see every option.\n`)
  })

  it('refuses a scenario it cannot run with the file, the step and the reason, before it listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headless-scenario-'))
    const file = join(dir, 'bad.yaml')
    writeFileSync(file, 'steps:\n  - at: 0\n    p: 0.5\n  - at: 3\n    p: 1.5\n')
    const r = run(['--port', '0', '--scenario', file])
    expect(await r.exited).toBe(2)
    expect(r.stderr()).toBe(
      `Error: ${file}: step 2 (line 4): "p": p must be a number from 0 to 1, got 1.5\n`
    )
    expect(r.stdout()).toBe('')
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads relative paths from the folder `npm run serve` was typed in (npm runs it from the root)', async () => {
    const typedIn = mkdtempSync(join(tmpdir(), 'bs-typed-in-'))
    try {
      writeFileSync(join(typedIn, 'steps.json'), '{"steps":[{"at":0,"p":0.9}]}')
      const r = run(['--port', '0', '--scenario', 'steps.json', '--record', 'run.csv'], {
        ...process.env,
        npm_lifecycle_event: 'serve',
        INIT_CWD: typedIn
      })
      await waitForOutput(r, /Recording to:\s+run\.csv/)
      expect(readFileSync(join(typedIn, 'run.csv'), 'utf8')).toMatch(/^# /)
      r.child.kill('SIGTERM')
      expect(await r.exited).toBe(0)
    } finally {
      rmSync(typedIn, { recursive: true, force: true })
    }
  })

  it('shows the seed, the scenario, the recording and the faults in its banner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headless-banner-'))
    const record = join(dir, 'run.ndjson')
    const r = run([
      '--port',
      '0',
      '--seed',
      '77',
      '--scenario',
      'examples/scenarios/change-point.yaml',
      '--record',
      record,
      '--faults',
      'drop=0.01'
    ])
    await waitForOutput(r, /Ctrl-C stops/)
    expect(r.stdout()).toContain('Seed:                 77   (--seed 77 repeats these samples)')
    expect(r.stdout()).toContain('Scenario:             change point (2 steps)')
    expect(r.stdout()).toContain(`Recording to:         ${record}`)
    expect(r.stdout()).toContain('Faults (everyone):    drop=0.01')
    expect(r.stdout()).toMatch(/Bernoulli\(p = 0\.3\) every 20 ms/)
    r.child.kill('SIGTERM')
    expect(await r.exited).toBe(0)
    expect(readFileSync(record, 'utf8').split('\n')[0]).toContain('"seed":77')
    rmSync(dir, { recursive: true, force: true })
  })

  it('explains every flag with --help', async () => {
    const r = run(['--help'])
    expect(await r.exited).toBe(0)
    for (const flag of [
      '--port',
      '--host',
      '--p',
      '--interval',
      '--seed',
      '--token',
      '--no-token',
      '--stopped',
      '--ping-interval',
      '--peer-timeout',
      '--ui-dir',
      '--allow-host',
      '--scenario',
      '--record',
      '--replay',
      '--speed',
      '--column',
      '--follow',
      '--bad-lines',
      '--faults'
    ]) {
      expect(r.stdout()).toContain(flag)
    }
  })
})
