import { describe, expect, it } from 'vitest'
import { ReplayBuffer } from '../../../src/main/server/replay-buffer'
import { ReplayPump, type ReplayTarget } from '../../../src/main/server/replay-pump'
import { StateLog } from '../../../src/main/server/state-log'

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
    sendState: (json) => log.push(`state ${json}`),
    bufferedBytes: options.buffered ?? (() => 0),
    onDrain: (resume) => (drain = resume),
    isOpen: () => true,
    goLive: () => log.push('live')
  }
  return { target, log, drain: () => drain?.() }
}

/** Runs a pump over `buffer` from `fromSeq`, with a high-water mark of 1000 bytes. */
function replay(
  buffer: ReplayBuffer,
  target: ReplayTarget,
  fromSeq: number,
  { states = new StateLog(100), liveFrom = () => buffer.nextSeq } = {}
): void {
  new ReplayPump({ buffer, states, fromSeq, liveFrom, target, highWaterBytes: 1000 }).pump()
}

describe('ReplayPump', () => {
  it('announces what the buffer no longer holds, replays the rest, then goes live', () => {
    const buffer = new ReplayBuffer(10)
    fill(buffer, 1, 30)
    const { target, log } = fakeTarget()
    replay(buffer, target, 5)
    expect(log).toEqual(['gap 5..20', 'samples 21..30', 'live'])
  })

  it('waits for a drain while the client is behind, and replays what arrived meanwhile', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 10)
    let buffered = 5000
    const { target, log, drain } = fakeTarget({ buffered: () => buffered })
    replay(buffer, target, 3)
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
    replay(buffer, { ...target, isOpen: () => false }, 1)
    expect(log).toEqual([])
  })

  it('replays only up to the first sample the next live broadcast will carry', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 20)
    const { target, log } = fakeTarget()
    replay(buffer, target, 1, { liveFrom: () => 16 })
    expect(log).toEqual(['samples 1..15', 'live'])
  })
})

describe('ReplayPump with state events', () => {
  function withLog(entries: Array<[position: number, json: string]>, capacity = 100) {
    const log = new StateLog(capacity)
    for (const [position, json] of entries) log.append(position, json)
    return log
  }

  it('sends each state event after the last sample drawn before it, from the resume point on', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 30)
    // Changes after samples 4, 10 and 20 (their position is the first sample drawn after them).
    const states = withLog([
      [5, 'p@5'],
      [11, 'interval@11'],
      [21, 'p@21']
    ])
    const { target, log } = fakeTarget()
    replay(buffer, target, 8, { states })
    expect(log).toEqual([
      'samples 8..10',
      'state interval@11',
      'samples 11..20',
      'state p@21',
      'samples 21..30',
      'live'
    ])
  })

  it('resends a change at the resume point itself (the client may have left before it)', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 10)
    const { target, log } = fakeTarget()
    replay(buffer, target, 6, { states: withLog([[6, 'stop@6']]) })
    expect(log).toEqual(['state stop@6', 'samples 6..10', 'live'])
  })

  it('sends changes made while it waited, in order, and those after the last sample before going live', () => {
    const buffer = new ReplayBuffer(100)
    fill(buffer, 1, 10)
    const states = new StateLog(100)
    let buffered = 5000
    const { target, log, drain } = fakeTarget({ buffered: () => buffered })
    replay(buffer, target, 3, { states })
    expect(log).toEqual([])
    states.append(11, 'p@11')
    fill(buffer, 11, 15)
    states.append(16, 'stop@16')
    buffered = 0
    drain()
    expect(log).toEqual(['samples 3..10', 'state p@11', 'samples 11..15', 'state stop@16', 'live'])
  })

  it('sends changes inside a gap after the gap message', () => {
    const buffer = new ReplayBuffer(10)
    fill(buffer, 1, 30)
    const { target, log } = fakeTarget()
    replay(buffer, target, 5, {
      states: withLog([
        [12, 'p@12'],
        [25, 'p@25']
      ])
    })
    expect(log).toEqual([
      'gap 5..20',
      'state p@12',
      'samples 21..24',
      'state p@25',
      'samples 25..30',
      'live'
    ])
  })
})
