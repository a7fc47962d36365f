import { describe, expect, it } from 'vitest'
import { ServerStats } from '../../../src/main/server/server-stats'

describe('ServerStats', () => {
  it('counts open connections by path and forgets paths with none left', () => {
    const stats = new ServerStats()
    stats.connectionOpened('/websocket/')
    stats.connectionOpened('/websocket/')
    stats.connectionOpened('/v1/stream')
    stats.connectionClosed('/websocket/')
    stats.connectionClosed('/v1/stream')
    expect([...stats.clientsByPath]).toEqual([['/websocket/', 1]])
  })

  it('counts control messages by result', () => {
    const stats = new ServerStats()
    stats.controlEnded('ack')
    stats.controlEnded('E_UNAUTHORIZED')
    stats.controlEnded('ack')
    expect(Object.fromEntries(stats.controlByResult)).toEqual({ ack: 2, E_UNAUTHORIZED: 1 })
  })
})
