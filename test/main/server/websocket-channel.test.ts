import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { FakeClock } from '../../support/fake-clock'
import { useStreamServices } from '../../support/service-fixture'

const { startService, connect } = useStreamServices({ controlToken: null, autoStart: false })

describe('WebSocketChannel heartbeat (fake clock)', () => {
  it('pings every pingIntervalMs and cuts off a peer silent for longer than peerTimeoutMs', async () => {
    const clock = new FakeClock()
    const { base, service } = await startService({
      clock,
      pingIntervalMs: 1000,
      peerTimeoutMs: 3000
    })
    const silent = connect(`${base}/websocket/`, { autoPong: false })
    const lively = connect(`${base}/v1/stream`)
    let pings = 0
    lively.ws.on('ping', () => pings++)
    await Promise.all([silent.opened, lively.until((c) => c.frames.length >= 1)])
    for (let second = 1; second <= 3; second++) {
      clock.advance(1000)
      await lively.until(() => pings >= second, 5000, `ping ${second}`)
      // A reply proves the server has read all the client sent before it, the pong included.
      lively.send('{')
      await lively.until((c) => c.messages.filter((m) => m.type === 'error').length >= second)
    }
    // Silent for exactly the timeout: not yet cut off.
    expect(silent.ws.readyState).toBe(WebSocket.OPEN)
    clock.advance(250)
    await silent.closed
    expect(silent.closeCode).toBe(1006)
    expect(lively.ws.readyState).toBe(WebSocket.OPEN)
    expect(service.status().clients).toMatchObject({ reference: 0, json: 1 })
  })
})
