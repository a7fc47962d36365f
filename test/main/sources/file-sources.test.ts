import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../src/shared/clock'
import type { DrawnBatch } from '../../../src/main/sampler/sample-source'
import {
  createFollowSource,
  createReplaySource,
  type FileSource
} from '../../../src/main/sources/file-sources'
import { readSampleFile } from '../../../src/main/sources/sample-file'
import type { BadLinePolicy } from '../../../src/main/sources/sample-lines'
import { ErrorCode } from '../../../src/shared/error-codes'
import { encodeHeader, encodeSamples } from '../../../src/shared/recording/recording-format'
import { FakeClock } from '../../support/fake-clock'

let dir: string
let files = 0
const sources: FileSource[] = []
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-sources-'))
})
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.close()))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function tempFile(text: string): Promise<string> {
  const path = join(dir, `f${++files}.txt`)
  await writeFile(path, text)
  return path
}

/** The events a source reports, and a way to wait for the next one. */
function recorder() {
  const batches: DrawnBatch[] = []
  const notices: string[] = []
  const ended: string[] = []
  let wake: () => void = () => undefined
  const changed = (): void => wake()
  return {
    batches,
    notices,
    ended,
    values: () => batches.flatMap((b) => [...b.values]),
    onSamples: (batch: DrawnBatch) => {
      batches.push(batch)
      changed()
    },
    events: {
      onNotice: (message: string) => {
        notices.push(message)
        changed()
      },
      onEnded: (reason: string) => {
        ended.push(reason)
        changed()
      }
    },
    /** Resolves when `done()` holds, re-checked after every event. */
    until: (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (done()) resolve()
        }
        wake = check
        check()
      })
  }
}

function expectRefusals(source: FileSource, path: string): void {
  for (const steer of [
    () => source.setP(0.5),
    () => source.setIntervalMs(10),
    () => source.draw(1)
  ]) {
    expect(steer).toThrow(expect.objectContaining({ code: ErrorCode.NotSampling }))
    expect(steer).toThrow(`the samples come from ${path}`)
  }
}

describe('createReplaySource', () => {
  const HEADER = { run: 'r', server: 's', seed: 1, source: 'sampler', startedAt: 'x' }

  it('plays a recording with its own numbers and p, at its median pace, then ends', async () => {
    const path = await tempFile(
      encodeHeader('ndjson', HEADER) +
        encodeSamples('ndjson', 41, [1, 0, 1], [5000, 5100, 5200], 0.7) +
        encodeSamples('ndjson', 44, [0], [5300], 0.2)
    )
    const read = await readSampleFile(path, { badLines: 'fail' })
    if (!read.ok) throw new Error(read.problem.reason)
    const clock = new FakeClock()
    const events = recorder()
    const source = createReplaySource({
      clock,
      path,
      file: read.file,
      speed: 2,
      intervalMs: 1000,
      onSamples: events.onSamples,
      events: events.events
    })
    sources.push(source)
    expect(source.status()).toMatchObject({ running: false, p: 0.7, intervalMs: 50, lastSeq: 40 })
    expect(source.nextSeq).toBe(41)
    expect(source.progress()).toEqual({ played: 0, total: 4, badLines: 0, error: null })
    source.start()
    clock.advance(1000)
    expect(events.values()).toEqual([1, 0, 1, 0])
    expect(events.batches[0]!.firstSeq).toBe(41)
    expect(events.batches.every((b) => b.intervalMs === 50)).toBe(true)
    expect(source.status()).toMatchObject({ p: 0.2, samplesDrawn: 4, lastSeq: 44 })
    expect(source.progress()).toMatchObject({ played: 4, total: 4 })
    expect(events.ended).toEqual([`the replay of ${path} ended after 4 samples`])
    expectRefusals(source, path)
  })

  it('paces a 0/1 file (CRLF, a skipped bad line) at the interval, p unknown, numbered from 1', async () => {
    const path = await tempFile('1\r\n0\r\nmaybe\r\n1\r\n')
    const read = await readSampleFile(path, { badLines: 'skip' })
    if (!read.ok) throw new Error(read.problem.reason)
    expect(read.file.badLines).toEqual([{ line: 3, reason: expect.stringContaining('"maybe"') }])
    const clock = new FakeClock()
    const events = recorder()
    const source = createReplaySource({
      clock,
      path,
      file: read.file,
      speed: 1,
      intervalMs: 100,
      onSamples: events.onSamples,
      events: events.events
    })
    sources.push(source)
    source.start()
    clock.advance(50)
    expect(events.values().length).toBeLessThan(3)
    clock.advance(1000)
    expect(events.values()).toEqual([1, 0, 1])
    expect(events.batches[0]!.firstSeq).toBe(1)
    expect(source.status()).toMatchObject({ p: null, seed: null, intervalMs: 100 })
    expect(source.progress()).toEqual({ played: 3, total: 3, badLines: 1, error: null })
  })
})

describe('createFollowSource', () => {
  async function follow(path: string, badLines: BadLinePolicy = 'skip') {
    const events = recorder()
    const source = await createFollowSource({
      clock: systemClock,
      path,
      badLines,
      intervalMs: 100,
      onSamples: events.onSamples,
      events: events.events
    })
    sources.push(source)
    return { source, ...events }
  }

  it('sends appended lines once started, numbered 1…, and holds them while stopped', async () => {
    const path = await tempFile('1\n1\n')
    const { source, values, batches, until } = await follow(path)
    expect(source.status()).toMatchObject({ running: false, p: null, seed: null, lastSeq: 0 })
    await appendFile(path, '0\n')
    source.start()
    await until(() => values().length === 1)
    expect(batches[0]).toMatchObject({ firstSeq: 1, values: [0], p: null })
    source.stop()
    await appendFile(path, '1\r\n0\n')
    source.start()
    await until(() => values().length === 3)
    expect(values()).toEqual([0, 1, 0])
    expect(batches.at(-1)!.firstSeq + batches.at(-1)!.values.length).toBe(4)
    expect(source.status()).toMatchObject({ running: true, samplesDrawn: 3, lastSeq: 3 })
    expect(source.nextSeq).toBe(4)
    expect(source.progress()).toEqual({ played: 3, total: null, badLines: 0, error: null })
    expectRefusals(source, path)
  })

  it('skips a bad line with a notice naming file and line (skip)', async () => {
    const path = await tempFile('')
    const { source, values, notices, until } = await follow(path, 'skip')
    source.start()
    await appendFile(path, '1\nnope\n0\n')
    await until(() => values().length === 2)
    expect(values()).toEqual([1, 0])
    expect(notices).toEqual([`${path}:2: expected 0 or 1, got "nope" (skipped)`])
    expect(source.progress()).toMatchObject({ badLines: 1, error: null })
  })

  it('stops at a bad line and stays stopped (fail)', async () => {
    const path = await tempFile('')
    const { source, values, ended, until } = await follow(path, 'fail')
    source.start()
    await appendFile(path, '1\n7\n0\n')
    await until(() => ended.length === 1)
    expect(values()).toEqual([1])
    const error = `${path}:2: expected 0 or 1, got "7"`
    expect(ended).toEqual([`following ${path} stopped at a bad line (--bad-lines fail): ${error}`])
    expect(source.progress()).toEqual({ played: 1, total: null, badLines: 1, error })
    expect(source.status().running).toBe(false)
    source.start()
    expect(source.status().running).toBe(false)
  })

  it('refuses a missing file, naming it', async () => {
    const path = join(dir, 'missing.txt')
    await expect(follow(path)).rejects.toThrow(`${path}: no such file`)
  })
})
