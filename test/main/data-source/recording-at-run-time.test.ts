import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseSampleText } from '../../../src/main/sources/sample-file'
import { createStreamService } from '../../../src/main/stream-service'
import { useStreamServices } from '../../support/service-fixture'

// Recording started and stopped while the stream runs (the desktop app's Record to file…), on
// real files and sockets.

const { startService, connect } = useStreamServices({ controlToken: null })
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recording-at-run-time-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function recordedFile(path: string) {
  const parsed = parseSampleText(await readFile(path, 'utf8'), { source: path, badLines: 'fail' })
  if (!parsed.ok) throw new Error(`not a valid recording: ${JSON.stringify(parsed.problem)}`)
  return parsed.file
}

async function rejection(call: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  return call.then(
    () => ({ code: 'resolved' }),
    (error: { code?: string; message?: string }) => error
  )
}

describe('recording at run time', () => {
  it('records exactly the samples drawn between start and stop, announced to every client', async () => {
    const { service, base } = await startService({ seed: 3, autoStart: false })
    const watcher = connect(`${base}/v1/stream`)
    await watcher.until((c) => c.messages.some((m) => m.type === 'hello'))
    service.draw(7)
    const path = join(dir, 'step.ndjson')
    const started = await service.startRecording(path)
    expect(started.recording).toEqual({ file: path, format: 'ndjson', fromSeq: 8, failed: false })
    service.draw(30)
    const stopped = await service.stopRecording()
    expect(stopped.recording).toBeNull()
    service.draw(5)
    await watcher.until((c) => c.samples.length >= 42)

    const file = await recordedFile(path)
    expect(file.header).toMatchObject({ run: service.status().streamId, seed: 3 })
    expect(file.firstSeq).toBe(8)
    expect(Array.from(file.values)).toEqual(
      watcher.samples.filter((s) => s.seq >= 8 && s.seq < 38).map((s) => s.value)
    )
    const changes = watcher.messages.flatMap((m) =>
      m.type === 'state' && m.change === 'recording'
        ? [m.state.recording === undefined ? 'absent' : m.state.recording]
        : []
    )
    expect(changes).toEqual([{ file: path, format: 'ndjson', fromSeq: 8, failed: false }, null])
    // Stopping again changes nothing.
    expect((await service.stopRecording()).recording).toBeNull()
  })

  it('refuses a second recording, an existing file unless replacing, and a missing folder', async () => {
    const { service } = await startService({ autoStart: false })
    const first = join(dir, 'first.csv')
    expect((await service.startRecording(first)).recording).toMatchObject({ format: 'csv' })
    expect(await rejection(service.startRecording(join(dir, 'second.csv')))).toMatchObject({
      code: 'E_ALREADY_RECORDING',
      message: expect.stringContaining(first)
    })
    await service.stopRecording()

    const existing = join(dir, 'existing.ndjson')
    await writeFile(existing, 'precious\n')
    expect(await rejection(service.startRecording(existing))).toMatchObject({
      code: 'E_RECORDING_FAILED',
      message: expect.stringMatching(/already exists/)
    })
    expect(await readFile(existing, 'utf8')).toBe('precious\n')
    expect(service.state().recording).toBeNull()
    // A person confirmed the replacement (the desktop's save dialog): replaced.
    await service.startRecording(existing, { replace: true })
    service.draw(2)
    await service.stopRecording()
    expect((await recordedFile(existing)).values).toHaveLength(2)

    expect(await rejection(service.startRecording(join(dir, 'nowhere', 'x.csv')))).toMatchObject({
      code: 'E_RECORDING_FAILED',
      message: expect.stringMatching(/directory does not exist/)
    })
  })

  it('refuses to record into the file being followed', async () => {
    const followed = join(dir, 'followed.txt')
    await writeFile(followed, '')
    const { service } = await startService({ follow: { path: followed, badLines: 'skip' } })
    expect(await rejection(service.startRecording(followed))).toMatchObject({
      code: 'E_RECORDING_FAILED',
      message: expect.stringMatching(/the file the samples come from/)
    })
  })

  it('ends a recording with the service, and refuses one after close', async () => {
    const { service } = await startService({ seed: 9, autoStart: false })
    const path = join(dir, 'closed.ndjson')
    await service.startRecording(path)
    service.draw(4)
    await service.close()
    expect((await recordedFile(path)).values).toHaveLength(4)
    expect(await rejection(service.startRecording(join(dir, 'late.ndjson')))).toMatchObject({
      code: 'E_SERVER_CLOSED'
    })
  })

  it('creates the --record file only once the port is bound, so a taken port leaves none', async () => {
    const taken: Server = createServer()
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done))
    const { port } = taken.address() as AddressInfo
    const path = join(dir, 'port-taken.ndjson')
    try {
      const service = createStreamService({ port, record: path, controlToken: null })
      expect(await rejection(service.listen())).toMatchObject({ code: 'E_PORT_IN_USE' })
      await service.close()
      expect(existsSync(path)).toBe(false)
    } finally {
      await new Promise<void>((done) => taken.close(() => done()))
    }
  })
})
