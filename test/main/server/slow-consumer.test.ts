import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createStreamService, type StreamService } from '../../../src/main/stream-service'
import { FakeClock } from '../../support/fake-clock'
import { TestClient } from '../../support/test-client'

const services: StreamService[] = []
const sockets: WebSocket[] = []
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate()
  await Promise.all(services.splice(0).map((s) => s.close()))
})

/** A JSON client that keeps only what the test checks: first and last seq, count, continuity. */
function countingClient(url: string) {
  const ws = new WebSocket(url)
  sockets.push(ws)
  const state = { firstSeq: 0, lastSeq: 0, count: 0, contiguous: true, helloNextSeq: 0, gaps: 0 }
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as {
      type: string
      seq: number
      values: number[]
      state?: { nextSeq: number }
    }
    if (message.type === 'hello') state.helloNextSeq = message.state!.nextSeq
    if (message.type === 'gap') state.gaps++
    if (message.type !== 'samples') return
    if (state.count === 0) state.firstSeq = message.seq
    else if (message.seq !== state.lastSeq + 1) state.contiguous = false
    state.count += message.values.length
    state.lastSeq = message.seq + message.values.length - 1
  })
  const opened = new Promise<void>((resolve) => ws.once('open', () => resolve()))
  return { ws, state, opened }
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function startFakeClockService(options: { maxBufferedBytes?: number } = {}) {
  const clock = new FakeClock()
  clock.epochBaseMs = Date.now()
  const service = createStreamService({
    port: 0,
    intervalMs: 1,
    clock,
    controlToken: null,
    // Fake time races ahead of the sockets: keep the heartbeat out of what these tests measure.
    pingIntervalMs: 3_600_000,
    peerTimeoutMs: 7_200_000,
    ...options
  })
  services.push(service)
  const info = await service.listen()
  return { clock, service, info }
}

describe('slow consumers', () => {
  it('drops a live client that stops reading (code 4008) while 50 others keep receiving every sample', async () => {
    const { clock, service, info } = await startFakeClockService({ maxBufferedBytes: 256 * 1024 })
    const others = Array.from({ length: 50 }, () => countingClient(info.jsonStreamUrl))
    await Promise.all(others.map((c) => c.opened))
    const slow = new TestClient(info.jsonStreamUrl)
    sockets.push(slow.ws)
    await slow.until((c) => c.frames.length >= 1)
    const slowSocket = (slow.ws as unknown as { _socket: Socket })._socket
    slowSocket.pause()

    // Live traffic, 2 000 samples (~40 kB of JSON) per step, until the paused client's unread data
    // fills the kernel's buffers and then the server's limit.
    const deadline = Date.now() + 30_000
    while (service.status().clients.json > 50) {
      if (Date.now() > deadline) throw new Error('slow consumer was never dropped')
      clock.advance(2000)
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(service.status()).toMatchObject({ slowConsumersDropped: 1, clients: { json: 50 } })

    clock.advance(500)
    await new Promise((r) => setTimeout(r, 30))
    service.stop()
    const lastSeq = service.state().nextSeq - 1
    await until(
      () => others.every((c) => c.state.lastSeq === lastSeq),
      20_000,
      `every bystander at seq ${lastSeq}`
    )
    for (const { state } of others) {
      expect(state.contiguous).toBe(true)
      expect(state.firstSeq).toBe(state.helloNextSeq)
      expect(state.count).toBe(lastSeq - state.firstSeq + 1)
    }

    // Once it reads again it learns why it was dropped (or sees the connection cut after the grace period).
    slowSocket.resume()
    await slow.closed
    expect([4008, 1006]).toContain(slow.closeCode)
  }, 60_000)

  it('counts what delay holds back toward the limit: a delay=60000 client is dropped (4008) once it holds too much, a plain one gets every sample', async () => {
    // Before, held writes counted nowhere: 200 such connections at 1 ms took the server from
    // 61 MB to 1 GB in 60 s, and any web page may open them.
    const maxBufferedBytes = 64 * 1024
    const { clock, service, info } = await startFakeClockService({ maxBufferedBytes })
    const delayed = new TestClient(`${info.referenceUrl}?delay=60000`)
    const plain = new TestClient(info.referenceUrl)
    sockets.push(delayed.ws, plain.ws)
    await Promise.all([delayed.opened, plain.opened])
    // One sample per millisecond, each its own held write of 3 bytes (plus what holding it costs).
    const samples = 3000
    for (let ms = 0; ms < samples; ms++) clock.advance(1)
    expect(service.status()).toMatchObject({ slowConsumersDropped: 1, clients: { reference: 1 } })
    await delayed.closed
    expect(delayed.closeCode).toBe(4008)
    expect(delayed.frames).toEqual([])
    await plain.until((c) => c.frames.length === samples, 10_000, `${samples} reference frames`)
    expect(plain.frames.every((frame) => frame === '0' || frame === '1')).toBe(true)
  })

  it('replays a 600 000-sample resume (10 minutes at 1 ms) at the client’s pace, then goes live: no 4008, no gap, no duplicate', async () => {
    const { clock, service, info } = await startFakeClockService()
    for (let i = 0; i < 600; i++) clock.advance(1000)
    await new Promise((r) => setTimeout(r, 50))
    const resumed = countingClient(`${info.jsonStreamUrl}?after=0`)
    await resumed.opened
    // Live samples keep coming while the replay is under way.
    for (let i = 0; i < 20; i++) {
      clock.advance(50)
      await new Promise((r) => setTimeout(r, 10))
    }
    service.stop()
    const lastSeq = service.state().nextSeq - 1
    await until(() => resumed.state.lastSeq === lastSeq, 30_000, `resumed client at seq ${lastSeq}`)
    expect(resumed.ws.readyState).toBe(WebSocket.OPEN)
    expect(service.status().slowConsumersDropped).toBe(0)
    expect(resumed.state).toMatchObject({ firstSeq: 1, contiguous: true, gaps: 0, count: lastSeq })
    expect(lastSeq).toBeGreaterThan(600_000)
  }, 60_000)
})
