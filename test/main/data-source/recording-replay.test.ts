import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSampleText, readSampleFile } from '../../../src/main/sources/sample-file'
import { FakeClock } from '../../support/fake-clock'
import { useStreamServices } from '../../support/service-fixture'

const { startService, connect } = useStreamServices({ controlToken: null })
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'data-source-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('recording and replay (real files, real sockets)', () => {
  it.each(['csv', 'ndjson'] as const)(
    'records exactly the samples drawn (%s), and replays them to the same values and sequence numbers',
    async (format) => {
      const path = join(dir, `run.${format}`)
      const recorded = await startService({ intervalMs: 2, p: 0.3, seed: 11, record: path })
      const live = connect(`${recorded.base}/v1/stream?after=0`)
      await live.until((c) => c.samples.length >= 300, 10_000, '300 samples')
      recorded.service.stop()
      const drawn = recorded.service.state().nextSeq - 1
      await live.until((c) => c.samples.length >= drawn, 5000, 'every sample drawn')
      await recorded.service.close()

      const parsed = parseSampleText(await readFile(path, 'utf8'), {
        source: path,
        badLines: 'fail'
      })
      expect(parsed.ok).toBe(true)
      if (!parsed.ok) return
      const file = parsed.file
      expect(file.header).toMatchObject({
        run: recorded.service.status().streamId,
        seed: 11,
        source: 'sampler'
      })
      expect(file.firstSeq).toBe(1)
      expect(file.values.length).toBe(drawn)
      expect(Array.from(file.values)).toEqual(live.samples.map((s) => s.value))
      expect(Array.from(file.timesMs!)).toEqual(live.samples.map((s) => s.time))
      expect(Array.from(file.p!).every((p) => p === 0.3)).toBe(true)

      const replayed = await startService({ replay: { path, file, speed: 1000 } })
      const client = connect(`${replayed.base}/v1/stream?after=0`)
      await client.until((c) => c.samples.length >= drawn, 10_000, 'the whole replay')
      expect(client.samples.map((s) => [s.seq, s.value])).toEqual(
        live.samples.map((s) => [s.seq, s.value])
      )
      const hello = client.messages[0]
      expect(hello?.type === 'hello' && hello.state).toMatchObject({
        seed: null,
        p: 0.3,
        source: { kind: 'replay', file: path, speed: 1000 }
      })
      // Every sample went out, so the replay has ended (it stops itself, announced as a state change).
      expect(replayed.service.state().running).toBe(false)
      expect(replayed.service.status().sourceProgress).toMatchObject({
        played: drawn,
        total: drawn
      })
    }
  )

  it('announces a replayed p change at the sample it applies to, to live and resuming clients alike', async () => {
    // Before, the state event named the sample after the batch drawn with the new p (nextSeq 11, not 7).
    const header =
      '{"recording":"bernoulli-stream","version":1,"run":"r1","seed":3,"source":"sampler"}'
    const lines = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ seq: i + 1, time: 1000 * (i + 1), value: i % 2, p: i < 6 ? 0.2 : 0.8 })
    )
    const path = join(dir, 'p-change.ndjson')
    const parsed = parseSampleText([header, ...lines, ''].join('\n'), {
      source: path,
      badLines: 'fail'
    })
    if (!parsed.ok) throw new Error(parsed.problem.reason)
    const clock = new FakeClock()
    const { base } = await startService({ clock, replay: { path, file: parsed.file, speed: 1 } })
    const live = connect(`${base}/v1/stream`)
    await live.until((c) => c.messages.length >= 1, 5000, 'hello')
    // Everything falls due at once: one tick plays the whole file, one batch per p.
    clock.advance(20_000)
    await live.until((c) => c.samples.length >= 10, 5000, 'the whole replay')
    const resumed = connect(`${base}/v1/stream?after=0`)
    await resumed.until((c) => c.samples.length >= 10, 5000, 'the whole replay, resumed')
    for (const client of [live, resumed]) {
      const changes = client.messages.flatMap((m, index) =>
        m.type === 'state' && m.change === 'p' ? [{ index, state: m.state }] : []
      )
      expect(changes).toHaveLength(1)
      expect(changes[0]!.state).toMatchObject({ p: 0.8, nextSeq: 7 })
      const samplesBefore = client.messages
        .slice(0, changes[0]!.index)
        .reduce((n, m) => n + (m.type === 'samples' ? m.values.length : 0), 0)
      expect(samplesBefore).toBe(6)
    }
  })

  it('replays a file of 0/1 lines on the reference dialect, one frame per line', async () => {
    const path = join(dir, 'bits.txt')
    await writeFile(path, '1\n0\n0\n1\n1\n')
    const checked = await readSampleFile(path, { badLines: 'fail' })
    if (!checked.ok) throw new Error(checked.problem.reason)
    const { base, service } = await startService({
      intervalMs: 5,
      autoStart: false,
      replay: { path, file: checked.file, speed: 1 }
    })
    const reference = connect(`${base}/websocket/`)
    await reference.opened
    service.start()
    await reference.until((c) => c.frames.length >= 5)
    expect(reference.frames).toEqual(['1', '0', '0', '1', '1'])
  })

  it('refuses to record over an existing file', async () => {
    const path = join(dir, 'taken.csv')
    await writeFile(path, 'keep me\n')
    await expect(startService({ record: path })).rejects.toThrow(/already exists/)
    expect(await readFile(path, 'utf8')).toBe('keep me\n')
  })
})

describe('--follow (real files, real sockets)', () => {
  it('turns every appended 0/1 line into a frame on every dialect', async () => {
    const path = join(dir, 'follow.txt')
    await writeFile(path, '1\n1\n')
    const { base, service } = await startService({
      follow: { path, badLines: 'skip' },
      log: () => undefined
    })
    const reference = connect(`${base}/websocket/`)
    const json = connect(`${base}/v1/stream`)
    await Promise.all([reference.opened, json.opened])
    await appendFile(path, '0\n1\nnot a bit\n0')
    await reference.until((c) => c.frames.length >= 2)
    await appendFile(path, '\n')
    await reference.until((c) => c.frames.length >= 3)
    await json.until((c) => c.samples.length >= 3)
    expect(reference.frames).toEqual(['0', '1', '0'])
    expect(json.samples.map((s) => [s.seq, s.value])).toEqual([
      [1, 0],
      [2, 1],
      [3, 0]
    ])
    expect(service.status().sourceProgress).toMatchObject({ played: 3, total: null, badLines: 1 })
    expect(service.state()).toMatchObject({
      p: null,
      seed: null,
      source: { kind: 'follow', file: path }
    })
  })

  it('refuses to set p or reseed a file source, with E_NOT_SAMPLING', async () => {
    const path = join(dir, 'follow2.txt')
    await writeFile(path, '')
    const { service } = await startService({ follow: { path, badLines: 'fail' } })
    expect(() => service.setP(0.5)).toThrow(expect.objectContaining({ code: 'E_NOT_SAMPLING' }))
    expect(() => service.reseed(3)).toThrow(expect.objectContaining({ code: 'E_NOT_SAMPLING' }))
    expect(() => service.loadScenario('{"steps":[{"at":0,"p":1}]}', 'x.json')).toThrow(
      expect.objectContaining({ code: 'E_NOT_SAMPLING' })
    )
  })
})
