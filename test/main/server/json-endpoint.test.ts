import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../support/fake-clock'
import { openRawWebSocket } from '../../support/raw-websocket'
import { useStreamServices } from '../../support/service-fixture'

const TOKEN = 'endpoint-token-1'
const { startService, connect } = useStreamServices({ controlToken: TOKEN })

describe('replies to peers that do not read', () => {
  it('go through the same backpressure as broadcasts: a peer that only sends is dropped', async () => {
    const { info, service } = await startService({
      autoStart: false,
      maxBufferedBytes: 64 * 1024,
      // Every bad frame answered, so that only backpressure can stop the replies.
      errorReplyRatePerS: 1e9,
      errorReplyBurst: 1e9
    })
    const peer = await openRawWebSocket(info.port, '/v1/stream')
    peer.socket.pause()
    // One-byte bad frames, each worth a ~100-byte error reply, until the server gives up on it.
    const deadline = Date.now() + 30_000
    while (service.status().slowConsumersDropped === 0) {
      if (Date.now() > deadline) throw new Error('never dropped')
      if (!peer.sendText('x', 1000)) await new Promise((r) => peer.socket.once('drain', r))
      await new Promise((r) => setImmediate(r))
    }
    expect(service.status()).toMatchObject({ slowConsumersDropped: 1, clients: { json: 0 } })
    peer.socket.destroy()
  }, 60_000)

  it('are limited per connection: a burst, one notice, then the sustained rate (fake clock)', async () => {
    const clock = new FakeClock()
    const { base } = await startService({
      clock,
      autoStart: false,
      errorReplyRatePerS: 10,
      errorReplyBurst: 20
    })
    const client = connect(`${base}/v1/stream`)
    await client.opened
    const errors = () => client.messages.filter((m) => m.type === 'error')
    for (let i = 0; i < 100; i++) client.send('{')
    // A frame that must be answered proves the 100 before it were all read.
    client.send({ type: 'start', id: 'probe', token: TOKEN })
    await client.until((c) => c.messages.some((m) => m.type === 'ack'))
    expect(
      errors()
        .slice(0, 20)
        .every((m) => m.type === 'error' && m.code === 'E_BAD_JSON')
    ).toBe(true)
    expect(errors().slice(20)).toEqual([
      expect.objectContaining({ code: 'E_RATE_LIMITED', id: null })
    ])
    clock.advance(1000)
    for (let i = 0; i < 30; i++) client.send('{')
    client.send({ type: 'stop', id: 'probe-2', token: TOKEN })
    await client.until((c) => c.messages.filter((m) => m.type === 'ack').length >= 2)
    // Ten more (one second's worth), then the notice once more.
    expect(
      errors()
        .slice(21)
        .map((m) => m.type === 'error' && m.code)
    ).toEqual([...Array(10).fill('E_BAD_JSON'), 'E_RATE_LIMITED'])
  })
})
