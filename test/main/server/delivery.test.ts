import { describe, expect, it } from 'vitest'
import { Delivery, type Outlet } from '../../../src/main/server/delivery'
import { ServerStats } from '../../../src/main/server/server-stats'

interface FakeOutlet extends Outlet {
  open: boolean
  buffered: number
  dropped: number
}

function fakeOutlet(stats: ServerStats, buffered = 0) {
  const written: Buffer[] = []
  const outlet: FakeOutlet = {
    path: '/v1/stream',
    query: new URLSearchParams(),
    remoteAddress: '127.0.0.1',
    sent: stats.sent.json,
    open: true,
    buffered,
    dropped: 0,
    isOpen: () => outlet.open,
    bufferedBytes: () => outlet.buffered,
    write: (chunk: Buffer) => void written.push(chunk),
    dropSlow: () => {
      outlet.dropped++
      outlet.open = false
    }
  }
  return { outlet, written }
}

describe('Delivery', () => {
  it('writes the very same buffer and counts frames and bytes', () => {
    const stats = new ServerStats()
    const delivery = new Delivery(stats, 100)
    const a = fakeOutlet(stats)
    const b = fakeOutlet(stats)
    const chunk = Buffer.from('abcdef')
    expect(delivery.send(a.outlet, chunk, 2)).toBe(true)
    expect(delivery.send(b.outlet, chunk, 2)).toBe(true)
    expect(a.written[0]).toBe(chunk)
    expect(b.written[0]).toBe(chunk)
    expect(stats).toMatchObject({ framesSent: 4, bytesSent: 12, slowConsumersDropped: 0 })
    expect(stats.sent).toEqual({
      reference: { frames: 0, bytes: 0 },
      json: { frames: 4, bytes: 12 },
      sse: { frames: 0, bytes: 0 }
    })
  })

  it('drops a client with more than the limit waiting, once, and writes nothing to it', () => {
    const stats = new ServerStats()
    const delivery = new Delivery(stats, 100)
    const slow = fakeOutlet(stats, 101)
    expect(delivery.send(slow.outlet, Buffer.from('x'), 1)).toBe(false)
    expect(delivery.send(slow.outlet, Buffer.from('x'), 1)).toBe(false)
    expect(slow.outlet.dropped).toBe(1)
    expect(slow.written).toEqual([])
    expect(stats).toMatchObject({ framesSent: 0, slowConsumersDropped: 1 })
    const atLimit = fakeOutlet(stats, 100)
    expect(delivery.send(atLimit.outlet, Buffer.from('x'), 1)).toBe(true)
  })

  it('admits more for a client while its buffer plus what its faults hold stays within the limit', () => {
    const stats = new ServerStats()
    const delivery = new Delivery(stats, 100)
    const faulty = fakeOutlet(stats, 60)
    expect(delivery.admit(faulty.outlet, 40)).toBe(true)
    expect(faulty.outlet.dropped).toBe(0)
    expect(delivery.admit(faulty.outlet, 41)).toBe(false)
    expect(faulty.outlet.dropped).toBe(1)
    expect(stats.slowConsumersDropped).toBe(1)
    // Closed: nothing more is admitted, and it is not dropped twice.
    expect(delivery.admit(faulty.outlet, 0)).toBe(false)
    expect(faulty.outlet.dropped).toBe(1)
    expect(faulty.written).toEqual([])
  })
})
