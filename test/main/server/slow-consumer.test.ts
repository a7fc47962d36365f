import { afterEach, describe, expect, it } from 'vitest'
import type { Socket } from 'node:net'
import { createStreamService, type StreamService } from '../../../src/main/stream-service'
import { FakeClock } from '../../support/fake-clock'
import { TestClient } from '../../support/test-client'

const services: StreamService[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate()
  await Promise.all(services.splice(0).map((s) => s.close()))
})

describe('slow consumers', () => {
  it('drops a client that stops reading (code 4008) while 50 others keep receiving every sample', async () => {
    const clock = new FakeClock()
    clock.epochBaseMs = Date.now()
    const service = createStreamService({
      port: 0,
      intervalMs: 1,
      clock,
      controlToken: null,
      maxBufferedBytes: 256 * 1024
    })
    services.push(service)
    const info = await service.listen()
    // 600 000 samples in the replay buffer (10 minutes at 1 ms), drawn instantly on the fake clock.
    for (let i = 0; i < 600; i++) clock.advance(1000)
    await new Promise((r) => setTimeout(r, 50))

    const others = Array.from({ length: 50 }, () => new TestClient(info.jsonStreamUrl))
    clients.push(...others)
    await Promise.all(others.map((c) => c.until((x) => x.frames.length >= 1)))

    // The slow client asks for everything (≈ 9 MB of replay) and then stops reading.
    const slow = new TestClient(`${info.jsonStreamUrl}?after=0`)
    clients.push(slow)
    await slow.opened
    ;(slow.ws as unknown as { _socket: Socket })._socket.pause()

    const deadline = Date.now() + 15_000
    while (service.status().clients.json > 50) {
      if (Date.now() > deadline) throw new Error('slow consumer was never dropped')
      clock.advance(100)
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(service.status().clients.json).toBe(50)

    // The others keep receiving: every sample from their start to the last one drawn, in order.
    for (let i = 0; i < 20; i++) {
      clock.advance(50)
      await new Promise((r) => setTimeout(r, 5))
    }
    service.stop()
    const lastSeq = service.state().nextSeq - 1
    await Promise.all(
      others.map((c) => c.until((x) => x.samples.at(-1)?.seq === lastSeq, 10_000, `seq ${lastSeq}`))
    )
    for (const client of others) {
      const hello = client.messages[0]
      const seqs = client.samples.map((s) => s.seq)
      expect(hello?.type === 'hello' && seqs[0]).toBe(
        hello?.type === 'hello' ? hello.state.nextSeq : -1
      )
      expect(seqs.length).toBe(lastSeq - seqs[0]! + 1)
    }

    // Once it reads again it learns why it was dropped, and it may reconnect and resume.
    ;(slow.ws as unknown as { _socket: Socket })._socket.resume()
    await slow.closed
    expect([4008, 1006]).toContain(slow.closeCode)
  }, 60_000)
})
