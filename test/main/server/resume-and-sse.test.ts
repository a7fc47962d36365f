import { request as httpRequest, type IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { useStreamServices } from '../../support/service-fixture'
import { TestClient } from '../../support/test-client'

const TOKEN = 'resume-token-1'
const { startService, connect } = useStreamServices({ seed: 5, controlToken: TOKEN })

const streamIdOf = (client: TestClient) => {
  const hello = client.messages[0]
  if (hello?.type !== 'hello') throw new Error('no hello')
  return hello.streamId
}

describe('lossless resume', () => {
  it('replays everything after the last sequence number, then goes live, with no gap and no duplicate', async () => {
    const { base } = await startService({ intervalMs: 2 })
    const first = connect(`${base}/v1/stream`)
    await first.until((c) => c.samples.length >= 50)
    first.ws.terminate()
    const kept = first.samples
    const last = kept.at(-1)!.seq
    await new Promise((r) => setTimeout(r, 150))
    const second = connect(`${base}/v1/stream?after=${last}&stream=${streamIdOf(first)}`)
    await second.until((c) => c.samples.length >= 150)
    const all = [...kept, ...second.samples]
    all.forEach((s, i) => expect(s.seq).toBe(all[0]!.seq + i))
    // What was missed while away was replayed, not lost.
    expect(second.samples[0]!.seq).toBe(last + 1)
  })

  it('says which samples are lost when the gap is older than the buffer', async () => {
    const { base } = await startService({ intervalMs: 2, replayCapacity: 20 })
    const first = connect(`${base}/v1/stream`)
    await first.until((c) => c.samples.length >= 5)
    first.ws.terminate()
    const last = first.samples.at(-1)!.seq
    await new Promise((r) => setTimeout(r, 200))
    const second = connect(`${base}/v1/stream?after=${last}&stream=${streamIdOf(first)}`)
    await second.until((c) => c.samples.length >= 30)
    const gap = second.messages.find((m) => m.type === 'gap')
    expect(gap).toMatchObject({ type: 'gap', from: last + 1 })
    const firstReplayed = second.samples[0]!.seq
    expect(gap?.type === 'gap' && gap.to).toBe(firstReplayed - 1)
    second.samples.forEach((s, i) => expect(s.seq).toBe(firstReplayed + i))
  })

  it('replays the current run from its start when the client resumes another run', async () => {
    const { base } = await startService({ intervalMs: 5 })
    const client = connect(`${base}/v1/stream?after=123456&stream=someoldrun`)
    await client.until((c) => c.samples.length >= 5)
    expect(client.samples[0]!.seq).toBe(1)
  })

  it('answers a malformed "after" with an error and streams live', async () => {
    const { base } = await startService({ intervalMs: 5 })
    const client = connect(`${base}/v1/stream?after=-3`)
    await client.until((c) => c.samples.length >= 2)
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'E_BAD_MESSAGE' })
  })
})

describe('control is guarded by Origin', () => {
  it('lets any origin read, but a foreign page cannot steer even with the token', async () => {
    const { base, service } = await startService({ intervalMs: 5 })
    const foreign = connect(`${base}/v1/stream`, { origin: 'https://evil.example' })
    await foreign.until((c) => c.samples.length >= 3)
    foreign.send({ type: 'set', p: 0.01, id: 1, token: TOKEN })
    await foreign.until((c) => c.messages.some((m) => m.type === 'error'))
    expect(foreign.messages.find((m) => m.type === 'error')).toMatchObject({
      code: 'E_FORBIDDEN_ORIGIN',
      id: 1
    })
    expect(service.state().p).toBe(0.72)
  })

  it('lets the server’s own origin and allow-listed origins steer', async () => {
    const { base, info, service } = await startService({
      intervalMs: 5,
      allowedOrigins: ['file://']
    })
    const own = connect(`${base}/v1/stream`, { origin: `http://127.0.0.1:${info.port}` })
    const app = connect(`${base}/v1/stream`, { origin: 'file://' })
    await Promise.all([own.opened, app.opened])
    own.send({ type: 'set', p: 0.4, id: 1, token: TOKEN })
    await own.until((c) => c.messages.some((m) => m.type === 'ack'))
    app.send({ type: 'set', p: 0.2, id: 2, token: TOKEN })
    await app.until((c) => c.messages.some((m) => m.type === 'ack'))
    expect(service.state().p).toBe(0.2)
  })
})

function openSse(
  url: string,
  headers: Record<string, string> = {}
): Promise<{ res: IncomingMessage; text: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    let body = ''
    const req = httpRequest(url, { headers }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      resolve({ res, text: () => body, close: () => req.destroy() })
    })
    req.on('error', (error) =>
      error.message.includes('socket hang up') ? undefined : reject(error)
    )
    req.end()
  })
}

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

function sseEvents(text: string) {
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2)
      return { event: field('event'), id: field('id'), data: JSON.parse(field('data')!) }
    })
}

describe('Server-Sent Events', () => {
  it('streams hello then samples, each event id the last sequence number it carries', async () => {
    const { http } = await startService({ intervalMs: 5 })
    const sse = await openSse(`${http}/v1/events`)
    expect(sse.res.headers['content-type']).toMatch(/^text\/event-stream/)
    await waitFor(() => sseEvents(sse.text()).filter((e) => e.event === 'samples').length >= 5)
    const events = sseEvents(sse.text())
    expect(events[0]).toMatchObject({ event: 'hello', data: { type: 'hello', protocol: 1 } })
    for (const e of events.filter((e) => e.event === 'samples')) {
      expect(Number(e.id)).toBe(e.data.seq + e.data.values.length - 1)
    }
    sse.close()
  })

  it('resumes after Last-Event-ID with nothing missing and nothing repeated', async () => {
    const { http } = await startService({ intervalMs: 3 })
    const first = await openSse(`${http}/v1/events`)
    await waitFor(() => sseEvents(first.text()).filter((e) => e.event === 'samples').length >= 3)
    first.close()
    const before = sseEvents(first.text()).filter((e) => e.event === 'samples')
    const lastId = before.at(-1)!.id!
    await new Promise((r) => setTimeout(r, 100))
    const second = await openSse(`${http}/v1/events`, { 'Last-Event-ID': lastId })
    await waitFor(() => sseEvents(second.text()).filter((e) => e.event === 'samples').length >= 3)
    second.close()
    const seqs = [
      ...before,
      ...sseEvents(second.text()).filter((e) => e.event === 'samples')
    ].flatMap((e) => (e.data.values as number[]).map((_, i) => (e.data.seq as number) + i))
    seqs.forEach((seq, i) => expect(seq).toBe(seqs[0]! + i))
  })
})
