import { describe, expect, it } from 'vitest'
import { ReplayBuffer } from '../../../src/main/server/replay-buffer'
import { ReplayPump, type ReplayTarget } from '../../../src/main/server/replay-pump'

function fill(buffer: ReplayBuffer, from: number, to: number): void {
  const values = Array.from({ length: to - from + 1 }, (_, i) => ((from + i) % 2) as 0 | 1)
  buffer.append({ firstSeq: from, values, timesMs: values.map((_, i) => from + i) })
}

function fakeTarget(options: { buffered?: () => number } = {}) {
  const log: string[] = []
  let drain: (() => void) | null = null
  const target: ReplayTarget = {
    sendSamples: (chunk) =>
      log.push(`samples ${chunk.firstSeq}..${chunk.firstSeq + chunk.values.length - 1}`),
    sendGap: (from, to) => log.push(`gap ${from}..${to}`),
    bufferedBytes: options.buffered ?? (() => 0),
    onDrain: (resume) => (drain = resume),
    isOpen: () => true,
    goLive: () => log.push('live')
  }
  return { target, log, drain: () => drain?.() }
}

describe('ReplayPump', () => {
  it('announces what the buffer no longer holds, replays the rest, then goes live', () => {
    const buffer = new ReplayBuffer(10)
    fill(buffer, 1, 30)
    const { target, log } = fakeTarget()
    new ReplayPump(buffer, 5, () => buffer.nextSeq, target, 1000).pump()
    expect(log).toEqual(['gap 5..20', 'samples 21..30', 'live'])
  })

  it('waits for a drain while the client is behind, and replays what arrived meanwhile', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 10)
    let buffered = 5000
    const { target, log, drain } = fakeTarget({ buffered: () => buffered })
    new ReplayPump(buffer, 3, () => buffer.nextSeq, target, 1000).pump()
    expect(log).toEqual([])
    fill(buffer, 11, 15)
    buffered = 0
    drain()
    expect(log).toEqual(['samples 3..15', 'live'])
  })

  it('stops quietly when the client is gone', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 10)
    const { target, log } = fakeTarget()
    new ReplayPump(buffer, 1, () => buffer.nextSeq, { ...target, isOpen: () => false }, 1000).pump()
    expect(log).toEqual([])
  })

  it('replays only up to the first sample the next live broadcast will carry', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 20)
    const { target, log } = fakeTarget()
    new ReplayPump(buffer, 1, () => 16, target, 1000).pump()
    expect(log).toEqual(['samples 1..15', 'live'])
  })
})
