import { spawnSync } from 'node:child_process'
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { useStreamServices } from '../../support/service-fixture'

const TOKEN = 'endpoint-token'
const { startService, connect } = useStreamServices({ controlToken: TOKEN, intervalMs: 5 })

function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
  if (result.error)
    throw new Error(`promtool could not run (Debian package "prometheus"): ${result.error.message}`)
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() }
}

/** A raw HTTP request with the headers given (fetch will not send a foreign Host). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string }
) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'GET',
          path: options.path,
          headers: options.headers
        },
        (res) => {
          let body = ''
          res.on('data', (chunk: Buffer) => (body += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
        }
      )
      req.on('error', reject)
      req.end(options.body)
    }
  )
}

describe('GET /metrics (real server, real promtool)', () => {
  it('exposes the stream in a format promtool accepts, with faults and clients counted', async () => {
    const { base, http, info } = await startService({ seed: 5 })
    const faulty = connect(`${base}/v1/stream?drop=0.5`)
    const reference = connect(`${base}/websocket/`)
    await faulty.until((c) => c.samples.length >= 20, 10_000)
    await reference.until((c) => c.frames.length >= 20, 10_000)
    const response = await fetch(`${http}/metrics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    expect(promtool(text)).toEqual({ status: 0, output: '' })
    expect(text).toMatch(/^bernoulli_clients\{path="\/v1\/stream"\} 1$/m)
    expect(text).toMatch(/^bernoulli_clients\{path="\/websocket\/"\} 1$/m)
    expect(text).toMatch(/^bernoulli_clients\{path="\/v1\/events"\} 0$/m)
    expect(text).toMatch(/^bernoulli_faults_applied_total\{kind="drop"\} [1-9]\d*$/m)
    expect(text).toMatch(/^bernoulli_samples_drawn_total [1-9]\d*$/m)
    expect(text).toMatch(
      /^bernoulli_stream_info\{stream_id="[0-9a-f]+",seed="5",source="sampler"\} 1$/m
    )
    expect(text).toMatch(/^bernoulli_interval_seconds 0.005$/m)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m)
    // The same Host rule as every other endpoint.
    const foreign = await raw(info.port, {
      path: '/metrics',
      headers: { Host: 'attacker.example' }
    })
    expect(foreign.status).toBe(403)
  })
})

describe('/v1/scenario (real server)', () => {
  const SCENARIO =
    'name: ramp\nsteps:\n  - at: 0\n    until: 10\n    ramp: { from: 0.1, to: 0.9 }\n'

  it('loads a scenario with the token, shows it, and ends it; state events announce each', async () => {
    const { base, http, info } = await startService({})
    const client = connect(`${base}/v1/stream`)
    await client.until((c) => c.frames.length >= 1)
    const put = await raw(info.port, {
      method: 'PUT',
      path: '/v1/scenario?name=ramp.yaml',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/yaml' },
      body: SCENARIO
    })
    expect(put.status).toBe(200)
    const ack = JSON.parse(put.body) as {
      type: string
      state: { p: number; scenario: { name: string; steps: number } }
    }
    expect(ack).toMatchObject({
      type: 'ack',
      state: { p: 0.1, scenario: { name: 'ramp', steps: 1, step: 1 } }
    })
    await client.until((c) => c.messages.some((m) => m.type === 'state' && m.change === 'scenario'))
    const shown = (await (await fetch(`${http}/v1/scenario`)).json()) as {
      name: string
      scenario: { steps: unknown[] }
    }
    expect(shown.name).toBe('ramp')
    expect(shown.scenario.steps).toHaveLength(1)
    const removed = await raw(info.port, {
      method: 'DELETE',
      path: '/v1/scenario',
      headers: { Authorization: `Bearer ${TOKEN}` }
    })
    expect(removed.status).toBe(200)
    expect(JSON.parse(removed.body)).toMatchObject({ state: { scenario: null } })
  })

  it('refuses without the token, from a foreign origin, a bad scenario and a too large one', async () => {
    const { info } = await startService({})
    const noToken = await raw(info.port, { method: 'PUT', path: '/v1/scenario', body: SCENARIO })
    expect([noToken.status, JSON.parse(noToken.body).code]).toEqual([401, 'E_UNAUTHORIZED'])
    const foreign = await raw(info.port, {
      method: 'PUT',
      path: '/v1/scenario',
      headers: { Authorization: `Bearer ${TOKEN}`, Origin: 'https://attacker.example' },
      body: SCENARIO
    })
    expect([foreign.status, JSON.parse(foreign.body).code]).toEqual([403, 'E_FORBIDDEN_ORIGIN'])
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined()
    const bad = await raw(info.port, {
      method: 'PUT',
      path: '/v1/scenario?name=mine.yaml',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: 'steps:\n  - at: 0\n    p: 0.5\n  - at: 0\n    p: 0.7\n'
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({
      code: 'E_BAD_SCENARIO',
      message: expect.stringContaining('mine.yaml: step 2 (line 4)')
    })
    const huge = await raw(info.port, {
      method: 'PUT',
      path: '/v1/scenario',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: ' '.repeat(200 * 1024)
    })
    expect([huge.status, JSON.parse(huge.body).code]).toEqual([413, 'E_TOO_LARGE'])
  })
})
