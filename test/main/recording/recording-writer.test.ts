import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordingWriter } from '../../../src/main/recording/recording-writer'
import type { RecordingFormat } from '../../../src/shared/recording/recording-format'
import { parseSampleText } from '../../../src/main/sources/sample-file'
import { FakeClock } from '../../support/fake-clock'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recording-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const HEADER = {
  run: 'r1',
  server: 'bernoulli-stream/test',
  seed: 7,
  source: 'sampler',
  startedAt: '2026-01-01T00:00:00.000Z'
}

function create(path: string, format: RecordingFormat, clock: FakeClock, errors: Error[] = []) {
  return RecordingWriter.create({
    path,
    format,
    header: HEADER,
    clock,
    flushMs: 100,
    onError: (e) => errors.push(e)
  })
}

/** Resolves once the writer has handed `count` samples to the OS. */
async function written(writer: RecordingWriter, count: number): Promise<void> {
  while (writer.samplesWritten < count) await new Promise((r) => setImmediate(r))
}

describe('RecordingWriter', () => {
  it.each(['ndjson', 'csv'] as const)(
    'records exactly the samples appended, in %s, readable back',
    async (format) => {
      const clock = new FakeClock()
      const path = join(dir, `exact.${format}`)
      const writer = await create(path, format, clock)
      let seq = 1
      const expected: number[] = []
      for (let batch = 0; batch < 50; batch++) {
        const values = Array.from({ length: 1 + (batch % 4) }, (_, i) => ((batch + i) % 2) as 0 | 1)
        writer.append(
          seq,
          values,
          values.map((_, i) => 1000 + seq + i),
          batch < 25 ? 0.25 : 0.75
        )
        expected.push(...values)
        seq += values.length
        clock.advance(10)
      }
      await writer.close()
      const parsed = parseSampleText(await readFile(path, 'utf8'), {
        source: path,
        badLines: 'fail'
      })
      expect(parsed.ok).toBe(true)
      if (!parsed.ok) return
      expect(parsed.file.header).toEqual(HEADER)
      expect(Array.from(parsed.file.values)).toEqual(expected)
      expect(parsed.file.firstSeq).toBe(1)
      expect(Array.from(parsed.file.timesMs!)).toEqual(expected.map((_, i) => 1001 + i))
      expect(parsed.file.p![0]).toBe(0.25)
      expect(parsed.file.p![expected.length - 1]).toBe(0.75)
      expect(writer.samplesWritten).toBe(expected.length)
    }
  )

  it('hands samples to the OS within one flush interval, without being closed', async () => {
    const clock = new FakeClock()
    const path = join(dir, 'flush.ndjson')
    const writer = await create(path, 'ndjson', clock)
    writer.append(1, [1, 0], [1, 2], 0.5)
    clock.advance(99)
    expect(writer.samplesWritten).toBe(0)
    clock.advance(1)
    await written(writer, 2)
    const text = await readFile(path, 'utf8')
    expect(text.trimEnd().split('\n')).toHaveLength(3)
    await writer.close()
    await writer.close()
  })

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'exists.csv')
    await writeFile(path, 'precious\n')
    await expect(create(path, 'csv', new FakeClock())).rejects.toThrow(/already exists/)
    expect(await readFile(path, 'utf8')).toBe('precious\n')
    await expect(create(join(dir, 'no/such/dir.csv'), 'csv', new FakeClock())).rejects.toThrow(
      /directory does not exist/
    )
  })

  it('replaces an existing file only when told to (a confirmed save dialog)', async () => {
    const path = join(dir, 'replaced.csv')
    await writeFile(
      path,
      'old contents that are longer than the new header and samples\n'.repeat(9)
    )
    const writer = await RecordingWriter.create({
      path,
      format: 'csv',
      header: HEADER,
      clock: new FakeClock(),
      replace: true,
      onError: (error) => {
        throw error
      }
    })
    writer.append(1, [1, 0], [10, 20], 0.5)
    await writer.close()
    const parsed = parseSampleText(await readFile(path, 'utf8'), { source: path, badLines: 'fail' })
    expect(parsed.ok && Array.from(parsed.file.values)).toEqual([1, 0])
  })

  it('ignores appends after close', async () => {
    const clock = new FakeClock()
    const writer = await create(join(dir, 'closed.ndjson'), 'ndjson', clock)
    await writer.close()
    writer.append(1, [1], [1], 0.5)
    expect(writer.samplesAppended).toBe(0)
  })

  it('survives SIGKILL: the file holds every flushed sample and is valid up to its last complete line', async () => {
    // A child process records at full speed and reports what the OS has accepted; it is killed
    // mid-stream. The child is bundled from TypeScript with vite, as the app itself is.
    const entry = join(dir, 'child.ts')
    const writerPath = resolve(__dirname, '../../../src/main/recording/recording-writer.ts')
    const clockPath = resolve(__dirname, '../../../src/shared/clock.ts')
    await writeFile(
      entry,
      `import { RecordingWriter } from ${JSON.stringify(writerPath)}
import { systemClock } from ${JSON.stringify(clockPath)}
const writer = await RecordingWriter.create({ path: process.argv[2], format: 'csv', clock: systemClock, flushMs: 5,
  header: { run: 'kill', server: 'test', seed: 1, source: 'sampler', startedAt: new Date().toISOString() },
  onError: (e) => { console.error(e); process.exit(3) } })
let seq = 1
let reported = 0
setInterval(() => {
  const values = Array.from({ length: 50 }, (_, i) => ((seq + i) % 3 === 0 ? 1 : 0))
  writer.append(seq, values, values.map((_, i) => 1e12 + seq + i), 0.123456)
  seq += values.length
  if (writer.samplesWritten !== reported) { reported = writer.samplesWritten; process.stdout.write(reported + '\\n') }
}, 1)
`
    )
    const outDir = join(dir, 'child-build')
    await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        ssr: entry,
        outDir,
        target: 'node20',
        rollupOptions: { output: { entryFileNames: 'child.mjs' } }
      }
    })
    const file = join(dir, 'killed.csv')
    const child = spawn(process.execPath, [join(outDir, 'child.mjs'), file], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let lastReported = 0
    await new Promise<void>((done) => {
      let buffer = ''
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString()
        const lines = buffer.split('\n')
        buffer = lines.pop()!
        if (lines.length) lastReported = Number(lines[lines.length - 1])
        if (lastReported >= 20_000 && !child.killed) {
          child.kill('SIGKILL')
          done()
        }
      })
    })
    await new Promise((r) => child.once('exit', r))
    const text = await readFile(file, 'utf8')
    const parsed = parseSampleText(text, { source: file, badLines: 'fail' })
    expect(parsed.ok ? 'ok' : parsed.problem).toBe('ok')
    if (!parsed.ok) return
    expect(parsed.file.values.length).toBeGreaterThanOrEqual(lastReported)
    expect(parsed.file.firstSeq).toBe(1)
    const expected = Array.from(parsed.file.values, (_, i) => ((1 + i) % 3 === 0 ? 1 : 0))
    expect(Array.from(parsed.file.values)).toEqual(expected)
    expect(parsed.file.p!.every((p) => p === 0.123456)).toBe(true)
  }, 60_000)
})
