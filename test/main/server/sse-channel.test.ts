import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../../support/fake-clock'
import { useStreamServices } from '../../support/service-fixture'
import { SseClient } from '../../support/sse-client'

const { startService } = useStreamServices({ seed: 5, controlToken: null })
const sseClients: SseClient[] = []
const open = async (url: string, headers: Record<string, string> = {}) => {
  const client = await SseClient.open(url, headers)
  sseClients.push(client)
  return client
}
afterEach(() => {
  for (const client of sseClients.splice(0)) client.close()
})

// At 16 ms (the batching window) every sample goes out as it is drawn: counts are exact.
const INTERVAL_MS = 16

/** A service on a fake clock that has drawn `samples` samples; `draw(n)` draws n more. */
async function serviceWith(samples: number) {
  const clock = new FakeClock()
  const started = await startService({ clock, intervalMs: INTERVAL_MS })
  const draw = (n: number) => clock.advance(n * INTERVAL_MS)
  draw(samples)
  return { ...started, clock, draw }
}

describe('Server-Sent Events', () => {
  it('streams hello then samples; each event id names the run and the last sequence number', async () => {
    const { http, service, draw } = await serviceWith(0)
    const sse = await open(`${http}/v1/events`)
    expect(sse.response.headers['content-type']).toMatch(/^text\/event-stream/)
    draw(40)
    await sse.until((c) => c.samples.length >= 40)
    const { streamId } = service.status()
    expect(sse.events[0]).toMatchObject({
      event: 'hello',
      id: `${streamId}:0`,
      data: { type: 'hello', protocol: 1, streamId }
    })
    const batches = sse.events.filter((e) => e.event === 'samples')
    for (const e of batches) {
      const lastSeq = (e.data.seq as number) + (e.data.values as number[]).length - 1
      expect(e.id).toBe(`${streamId}:${lastSeq}`)
    }
  })

  it('resumes after Last-Event-ID with nothing missing and nothing repeated', async () => {
    const { http, draw } = await serviceWith(0)
    const first = await open(`${http}/v1/events`)
    draw(30)
    await first.until((c) => c.samples.length >= 30)
    first.close()
    draw(50)
    const second = await open(`${http}/v1/events`, { 'Last-Event-ID': first.lastEventId! })
    await second.until((c) => c.samples.length >= 50)
    const seqs = [...first.samples, ...second.samples].map((s) => s.seq)
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1))
  })

  it('resumes across a server restart from the new run’s first sample', async () => {
    const old = await serviceWith(0)
    const first = await open(`${old.http}/v1/events`)
    old.draw(50)
    await first.until((c) => c.samples.length >= 50)
    const lastEventId = first.lastEventId!
    first.close()
    await old.service.close()
    // The new run has drawn more than the old one had: an id without its run would splice them.
    const next = await serviceWith(120)
    const second = await open(`${next.http}/v1/events`, { 'Last-Event-ID': lastEventId })
    await second.until((c) => c.samples.length >= 120)
    expect(second.events[0]!.data.streamId).not.toBe(old.service.status().streamId)
    expect(second.samples.map((s) => s.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
  })

  it('still takes a bare sequence number (older clients) within a run', async () => {
    const { http } = await serviceWith(60)
    const sse = await open(`${http}/v1/events?after=20`)
    await sse.until((c) => c.samples.length >= 40)
    expect(sse.samples[0]!.seq).toBe(21)
    const header = await open(`${http}/v1/events`, { 'Last-Event-ID': '55' })
    await header.until((c) => c.samples.length >= 5)
    expect(header.samples.map((s) => s.seq)).toEqual([56, 57, 58, 59, 60])
  })

  it.each([
    ['a Last-Event-ID that is no resume point', { 'Last-Event-ID': 'yesterday' }, ''],
    ['a negative ?after', {}, '?after=-3']
  ])('answers %s as the WebSocket path does, then streams live', async (_what, headers, query) => {
    const { http, draw } = await serviceWith(10)
    const sse = await open(`${http}/v1/events${query}`, headers)
    await sse.until((c) => c.events.some((e) => e.event === 'notice'))
    expect(sse.events.find((e) => e.event === 'notice')!.data).toMatchObject({
      type: 'error',
      code: 'E_BAD_MESSAGE',
      id: null
    })
    draw(3)
    await sse.until((c) => c.samples.length >= 3)
    expect(sse.samples[0]!.seq).toBe(11)
  })

  it('sends a keep-alive comment to a consumer that heard nothing for pingIntervalMs (fake clock)', async () => {
    const clock = new FakeClock()
    const { http } = await startService({
      clock,
      autoStart: false,
      pingIntervalMs: 1000,
      peerTimeoutMs: 3000
    })
    const sse = await open(`${http}/v1/events`)
    await sse.until((c) => c.events.length >= 1)
    clock.advance(999)
    clock.advance(1000)
    await sse.until((c) => c.comments >= 1)
    expect(sse.comments).toBe(1)
  })

  it('cuts off a stalled consumer once it has heard nothing for the peer timeout, like a stalled WebSocket (fake clock)', async () => {
    // Before, a stall= consumer stayed open for ever: SSE has no pings for a heartbeat to miss.
    const clock = new FakeClock()
    const { http, service } = await startService({
      clock,
      autoStart: false,
      pingIntervalMs: 1000,
      peerTimeoutMs: 3000
    })
    const stalled = await open(`${http}/v1/events?stall=1`)
    const plain = await open(`${http}/v1/events`)
    await stalled.until((c) => c.events.length >= 1)
    await plain.until((c) => c.events.length >= 1)
    clock.advance(1000)
    expect(service.status().faults?.stall).toBe(1)
    // Its last write was its hello, at 0: it is cut off once 3 s have passed without one.
    clock.advance(2000)
    expect(service.status().clients.sse).toBe(2)
    clock.advance(500)
    await expect(stalled.until(() => false, 5000, 'the end')).rejects.toThrow(/stream ended/)
    expect(stalled.comments).toBe(0)
    expect(service.status().clients.sse).toBe(1)
    await plain.until((c) => c.comments >= 3)
  })
})
