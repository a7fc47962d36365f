import { describe, expect, it } from 'vitest'
import type { DrawnBatch, SampleSource, SourceStatus } from '../../src/main/sampler/sample-source'
import { connectionInfoFor } from '../../src/main/stream-service'
import { FakeClock } from '../support/fake-clock'
import { useStreamServices } from '../support/service-fixture'

const { startService, connect } = useStreamServices({ controlToken: null })

/** A source that emits only what the test hands it. */
function scriptedSource() {
  let emit: (batch: DrawnBatch) => void = () => undefined
  const status: SourceStatus = {
    running: false,
    p: 0.5,
    intervalMs: 100,
    samplesDrawn: 0,
    samplesSkipped: 0,
    lastSeq: 0
  }
  const source: SampleSource = {
    start: () => void (status.running = true),
    stop: () => void (status.running = false),
    setP: (p) => void (status.p = p),
    setIntervalMs: (intervalMs) => void (status.intervalMs = intervalMs),
    draw: () => {
      throw new Error('not used here')
    },
    status: () => ({ ...status }),
    get nextSeq() {
      return status.lastSeq + 1
    }
  }
  const push = (values: Array<0 | 1>, intervalMs: number) => {
    const firstSeq = status.lastSeq + 1
    status.lastSeq += values.length
    status.samplesDrawn += values.length
    emit({ firstSeq, values, timesMs: values.map((_, i) => 1000 + firstSeq + i), intervalMs })
  }
  return {
    factory: ({ onSamples }: { onSamples: (batch: DrawnBatch) => void }) => {
      emit = onSamples
      return source
    },
    push
  }
}

describe('createStreamService', () => {
  it('serves any sample source; each batch’s own interval decides whether JSON waits', async () => {
    const clock = new FakeClock()
    const scripted = scriptedSource()
    const { base, service } = await startService({ clock, createSource: scripted.factory })
    expect(service.state()).toEqual({
      p: 0.5,
      intervalMs: 100,
      running: true,
      nextSeq: 1,
      seed: null,
      source: { kind: 'sampler' },
      scenario: null
    })
    const json = connect(`${base}/v1/stream`)
    const reference = connect(`${base}/websocket/`)
    await Promise.all([json.until((c) => c.frames.length >= 1), reference.opened])
    scripted.push([1, 0], 100)
    await json.until((c) => c.samples.length >= 2)
    // Drawn at 1 ms: gathered for up to 16 ms of the clock, then sent as one message.
    scripted.push([1], 1)
    scripted.push([1], 1)
    await reference.until((c) => c.frames.length >= 4)
    expect(json.samples).toHaveLength(2)
    clock.advance(16)
    await json.until((c) => c.samples.length >= 4)
    expect(
      json.messages.filter((m) => m.type === 'samples').map((m) => m.type === 'samples' && m.seq)
    ).toEqual([1, 3])
    expect(reference.frames).toEqual(['1', '0', '1', '1'])
    expect(service.status()).toMatchObject({ samplesDrawn: 4 })
  })
})

describe('connectionInfoFor', () => {
  it('names loopback for wildcard binds and brackets IPv6 literals', () => {
    expect(connectionInfoFor('0.0.0.0', 8888, 't')).toMatchObject({
      jsonStreamUrl: 'ws://127.0.0.1:8888/v1/stream',
      referenceUrl: 'ws://localhost:8888/websocket/',
      host: '0.0.0.0'
    })
    expect(connectionInfoFor('::1', 9000, null)).toMatchObject({
      jsonStreamUrl: 'ws://[::1]:9000/v1/stream',
      httpUrl: 'http://[::1]:9000'
    })
  })
})
