import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createStreamMetrics, type MetricsSnapshot } from '../../../src/main/metrics/stream-metrics'

/** Runs the real `promtool check metrics` on an exposition: its exit code and what it said. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
  if (result.error)
    throw new Error(`promtool could not run (Debian package "prometheus"): ${result.error.message}`)
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() }
}

/** The value of the sample line `name{labels}` in an exposition. */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

function snapshot(over: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    streamId: 'abc123',
    seed: 42,
    source: 'sampler',
    clients: { '/websocket/': 2, '/': 0, '/v1/stream': 3, '/v1/events': 1 },
    samplesDrawn: 1000,
    framesSent: { reference: 2000, json: 90, sse: 30 },
    bytesSent: { reference: 6000, json: 9000, sse: 3000 },
    slowConsumersDropped: 1,
    faults: { drop: 10, dup: 2, delay: 0, burst: 0, disconnect: 1, stall: 0 },
    replayBuffer: { held: 1000, capacity: 4000 },
    controlMessages: { ack: 5, E_UNAUTHORIZED: 2 },
    running: true,
    p: 0.72,
    intervalMs: 100,
    ...over
  }
}

describe('createStreamMetrics', () => {
  it('renders an exposition that the real promtool accepts without a lint warning', async () => {
    const metrics = createStreamMetrics(() => snapshot())
    const text = await metrics.render()
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' })
    expect(metrics.contentType).toContain('text/plain')
  })

  it('reports the snapshot: gauges as they are, counters as its totals', async () => {
    let current = snapshot()
    const metrics = createStreamMetrics(() => current)
    let text = await metrics.render()
    expect(sampleValue(text, 'bernoulli_clients{path="/v1/stream"}')).toBe(3)
    expect(sampleValue(text, 'bernoulli_samples_drawn_total')).toBe(1000)
    expect(sampleValue(text, 'bernoulli_frames_sent_total{dialect="reference"}')).toBe(2000)
    expect(sampleValue(text, 'bernoulli_sent_bytes_total{dialect="json"}')).toBe(9000)
    expect(sampleValue(text, 'bernoulli_faults_applied_total{kind="drop"}')).toBe(10)
    expect(sampleValue(text, 'bernoulli_control_messages_total{result="E_UNAUTHORIZED"}')).toBe(2)
    expect(sampleValue(text, 'bernoulli_replay_buffer_fill_ratio')).toBe(0.25)
    expect(sampleValue(text, 'bernoulli_p')).toBe(0.72)
    expect(sampleValue(text, 'bernoulli_interval_seconds')).toBe(0.1)
    expect(sampleValue(text, 'bernoulli_running')).toBe(1)
    expect(
      sampleValue(text, 'bernoulli_stream_info{stream_id="abc123",seed="42",source="sampler"}')
    ).toBe(1)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m)
    expect(text).toMatch(/^process_cpu_seconds_total /m)
    current = snapshot({
      samplesDrawn: 1500,
      faults: { drop: 12 },
      p: null,
      running: false,
      seed: 7
    })
    text = await metrics.render()
    expect(sampleValue(text, 'bernoulli_samples_drawn_total')).toBe(1500)
    expect(sampleValue(text, 'bernoulli_faults_applied_total{kind="drop"}')).toBe(12)
    expect(sampleValue(text, 'bernoulli_p')).toBeNaN()
    expect(sampleValue(text, 'bernoulli_running')).toBe(0)
    expect(text).not.toContain('seed="42"')
    expect(promtoolCheck(text).status).toBe(0)
  })

  it('keeps servers apart: two servers in one process, each with its own counts', async () => {
    const a = createStreamMetrics(() => snapshot({ samplesDrawn: 1 }))
    const b = createStreamMetrics(() => snapshot({ samplesDrawn: 2 }))
    expect(sampleValue(await a.render(), 'bernoulli_samples_drawn_total')).toBe(1)
    expect(sampleValue(await b.render(), 'bernoulli_samples_drawn_total')).toBe(2)
  })

  it('is refused by promtool when broken, so the check can fail', () => {
    expect(promtoolCheck('# TYPE x_total counter\nx_total abc\n').status).not.toBe(0)
  })
})
