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
      scenario: null,
      recording: null
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

describe('StreamService.draw and reseed (the bridge path)', () => {
  /** A code thrown by `run`, or `none`. */
  const codeOf = (run: () => unknown): string => {
    try {
      run()
      return 'none'
    } catch (error) {
      return (error as { code?: string }).code ?? `uncoded: ${String(error)}`
    }
  }

  it('draws the values a JSON draw draws, with the same refusals', async () => {
    const viaService = await startService({ seed: 77, autoStart: false })
    const viaJson = await startService({ seed: 77, autoStart: false })
    const watcher = connect(`${viaService.base}/v1/stream`)
    const controller = connect(`${viaJson.base}/v1/stream`)
    await Promise.all([watcher.opened, controller.opened])

    expect(viaService.service.draw(40)).toMatchObject({ running: false, nextSeq: 41 })
    controller.send({ type: 'draw', count: 40, id: 1 })
    await controller.until((c) => c.messages.some((m) => m.type === 'ack'))
    await Promise.all([
      watcher.until((c) => c.samples.length >= 40),
      controller.until((c) => c.samples.length >= 40)
    ])
    expect(watcher.samples.map((s) => [s.seq, s.value])).toEqual(
      controller.samples.map((s) => [s.seq, s.value])
    )

    // The same bad requests, refused with the same codes on both paths.
    const refusals: Array<[() => unknown, Record<string, unknown>]> = [
      [() => viaService.service.draw(0), { type: 'draw', count: 0 }],
      [() => viaService.service.draw(1001), { type: 'draw', count: 1001 }],
      [() => viaService.service.draw(1.5), { type: 'draw', count: 1.5 }],
      [() => viaService.service.reseed(0), { type: 'reseed', seed: 0 }],
      [() => viaService.service.reseed(2 ** 32), { type: 'reseed', seed: 2 ** 32 }]
    ]
    viaService.service.start()
    viaJson.service.start()
    refusals.push([() => viaService.service.draw(1), { type: 'draw', count: 1 }])
    const bridgeCodes = refusals.map(([run]) => codeOf(run))
    refusals.forEach(([, message], i) => controller.send({ ...message, id: 100 + i }))
    await controller.until(
      (c) => c.messages.filter((m) => m.type === 'error').length >= refusals.length
    )
    const jsonCodes = controller.messages.flatMap((m) => (m.type === 'error' ? [m.code] : []))
    expect(bridgeCodes).toEqual(jsonCodes)
    expect(bridgeCodes).toEqual([
      'E_BAD_MESSAGE',
      'E_BAD_MESSAGE',
      'E_BAD_MESSAGE',
      'E_INVALID_SEED',
      'E_INVALID_SEED',
      'E_RUNNING'
    ])
  })

  it('reseeds to a given seed or a random one, announced as a seed state event', async () => {
    const { service, base } = await startService({ seed: 5, autoStart: false })
    const watcher = connect(`${base}/v1/stream`)
    await watcher.until((c) => c.messages.some((m) => m.type === 'hello'))
    expect(service.reseed(123)).toMatchObject({ seed: 123 })
    const random = service.reseed().seed
    expect(random).not.toBe(123)
    expect(Number.isInteger(random) && random! >= 1).toBe(true)
    await watcher.until((c) => c.messages.filter((m) => m.type === 'state').length >= 2)
    expect(
      watcher.messages.flatMap((m) => (m.type === 'state' ? [[m.change, m.state.seed]] : []))
    ).toEqual([
      ['seed', 123],
      ['seed', random]
    ])
  })
})
