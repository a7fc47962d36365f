import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  browserTarget,
  connectedLayers,
  FakeNetwork,
  hello,
  makeLayers,
  MemoryStorage,
  samples,
  settle,
  stateEvent,
  stateOf
} from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('StreamSession connection', () => {
  it('replays the run on opening, then reports connecting → live → stopped', async () => {
    const { session, network } = makeLayers()
    expect(session.status).toEqual({ kind: 'connecting' })
    session.connect()
    session.connect() // idempotent
    await settle()
    expect(network.sockets).toHaveLength(1)
    // ?after=0: the server replays its run from the first sample, so n matches the server's.
    expect(network.last.url).toBe('ws://127.0.0.1:8888/v1/stream?after=0')
    network.last.accept()
    expect(session.status).toEqual({ kind: 'connecting' }) // open, but no hello yet
    network.last.receive(hello({ nextSeq: 101 }))
    expect(session.status).toEqual({ kind: 'live' })
    expect(session.mirror.identity?.server).toBe('bernoulli-stream/0.1.0')
    expect(session.mirror.identity?.streamId).toBe('run-1')
    network.last.receive(stateEvent('running', { running: false, nextSeq: 101 }))
    expect(session.status).toEqual({ kind: 'stopped' })
  })

  it('reconnects with exponential backoff, a countdown, and ?after=<last seq>', async () => {
    const { session, network } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 0, 1]))
    network.last.drop()
    expect(session.status).toEqual({ kind: 'reconnecting', seconds: 1 })
    await vi.advanceTimersByTimeAsync(250)
    expect(network.sockets).toHaveLength(2)
    expect(network.last.url).toBe('ws://127.0.0.1:8888/v1/stream?after=3&stream=run-1')
    // Refused again: the waits double (random() = 0 means no jitter).
    network.last.drop()
    await vi.advanceTimersByTimeAsync(499)
    expect(network.sockets).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(network.sockets).toHaveLength(3)
    for (const wait of [1000, 2000, 4000, 8000, 10000, 10000]) {
      network.last.drop()
      await vi.advanceTimersByTimeAsync(wait - 1)
      const before = network.sockets.length
      await vi.advanceTimersByTimeAsync(1)
      expect(network.sockets.length).toBe(before + 1)
    }
    // A hello resets the backoff.
    network.last.accept()
    network.last.receive(hello({ nextSeq: 4 }))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(network.last.url).toBe('ws://127.0.0.1:8888/v1/stream?after=3&stream=run-1')
  })

  it('counts down while waiting, and retryNow skips the wait', async () => {
    const { session, network } = await connectedLayers()
    for (let i = 0; i < 5; i++) {
      network.last.drop()
      await vi.advanceTimersByTimeAsync(10_000)
    }
    network.last.drop() // the next wait is 8 s
    expect(session.status).toEqual({ kind: 'reconnecting', seconds: 8 })
    await vi.advanceTimersByTimeAsync(3_100)
    expect(session.status).toEqual({ kind: 'reconnecting', seconds: 5 })
    const count = network.sockets.length
    session.retryNow()
    await settle()
    expect(network.sockets.length).toBe(count + 1)
    expect(session.status).toEqual({ kind: 'connecting' })
  })

  it('gives up on a connection that sends no hello within 10 s', async () => {
    const { session, network } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(network.last.closedWith?.code).toBe(4000)
    expect(session.status.kind).toBe('reconnecting')
  })

  it('retries when the target cannot be resolved (main not ready)', async () => {
    const resolveTarget = vi
      .fn()
      .mockRejectedValueOnce(new Error('not yet'))
      .mockResolvedValue(browserTarget())
    const { session, network } = makeLayers({ session: { resolveTarget } })
    session.connect()
    await settle()
    expect(session.status.kind).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(250)
    expect(network.sockets).toHaveLength(1)
  })

  it('retries when the socket cannot even be created', async () => {
    const network = new FakeNetwork()
    let calls = 0
    const { session } = makeLayers({
      session: {
        openSocket: (url, handlers) => {
          if (calls++ === 0) throw new SyntaxError('bad url')
          return network.factory(url, handlers)
        }
      }
    })
    session.connect()
    await settle()
    expect(session.status.kind).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(250)
    expect(network.sockets).toHaveLength(1)
    expect(session.status.kind).toBe('connecting')
  })

  it('disconnect closes, stops reconnecting, and is idempotent', async () => {
    const { session, network } = await connectedLayers()
    session.disconnect()
    session.disconnect()
    expect(network.last.closedWith?.code).toBe(1000)
    expect(session.status).toEqual({ kind: 'offline' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(network.sockets).toHaveLength(1)
  })

  it('ignores malformed and binary frames, counting them', async () => {
    const { session, network, engine } = await connectedLayers()
    network.last.receive('not json')
    network.last.receive({ type: 'samples', seq: 1, values: [2], times: [1] })
    network.last.receive({ type: 'nonsense' })
    network.last.receiveBinary(new ArrayBuffer(2))
    expect(session.malformedFrames).toBe(4)
    expect(engine.trials).toBe(0)
    expect(session.status).toEqual({ kind: 'live' })
  })
})

describe('StreamSession exactly-once accounting', () => {
  it('counts every sample once across a reconnection with replay', async () => {
    const { session, network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 1, 0]))
    network.last.receive(samples(4, [0, 1]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(network.last.url).toContain('after=5')
    network.last.accept()
    network.last.receive(hello({ nextSeq: 9 }))
    // The server replays from 4 (overlapping what we have) up to 8.
    network.last.receive(samples(4, [0, 1, 1, 1, 0]))
    expect(engine.trials).toBe(8)
    expect(engine.memory.ones).toBe(5)
    expect(session.lastSeq).toBe(8)
    expect(session.gapNotice).toBeNull()
  })

  it('rebuilds a page opened mid-run from the replay, so n equals the samples drawn', async () => {
    const { session, network, engine } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello({ nextSeq: 6 }))
    network.last.receive(samples(1, [1, 0, 1, 1, 0]))
    network.last.receive(samples(6, [1]))
    expect(engine.trials).toBe(6)
    expect(session.missedBeforeJoin).toBe(0)
    expect(session.gapNotice).toBeNull()
  })

  it('says how many samples of the run the server no longer held, without calling them lost', async () => {
    const { session, network, engine } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello({ nextSeq: 1003 }))
    network.last.receive({ type: 'gap', from: 1, to: 1000 })
    network.last.receive(samples(1001, [1, 0, 1]))
    expect(engine.trials).toBe(3)
    expect(session.missedBeforeJoin).toBe(1000)
    expect(session.gapNotice).toBeNull()
    // A later loss in transit is a real gap.
    network.last.receive(samples(1010, [1]))
    expect(session.gapNotice).toEqual({ from: 1004, to: 1009, gaps: 1, lost: 6 })
  })

  it('shows an announced gap and counts exactly the samples received', async () => {
    const { session, network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 0]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    network.last.receive(hello({ nextSeq: 1000 }))
    network.last.receive({ type: 'gap', from: 3, to: 899 })
    network.last.receive(samples(900, [1, 1]))
    expect(session.gapNotice).toEqual({ from: 3, to: 899, gaps: 1, lost: 897 })
    expect(engine.trials).toBe(4)
    expect(
      engine.timeline.log.some(
        (e) => e.event.kind === 'gap' && e.event.from === 3 && e.event.to === 899
      )
    ).toBe(true)
    session.dismissGapNotice()
    expect(session.gapNotice).toBeNull()
  })

  it('treats a batch that skips ahead without a gap message as a gap', async () => {
    const { session, network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1]))
    network.last.receive(samples(11, [0, 0]))
    expect(session.gapNotice).toEqual({ from: 2, to: 10, gaps: 1, lost: 9 })
    expect(engine.trials).toBe(3)
    expect(engine.timeline.log[0]?.event).toMatchObject({ kind: 'gap', announced: false })
  })

  it('notices a restarted server (new stream id) and counts its run from the start', async () => {
    const { session, network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 1]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    network.last.receive(hello({ nextSeq: 3 }, true, 'run-2'))
    // The new run is replayed from its first sample, then goes live.
    network.last.receive(samples(1, [0, 1]))
    network.last.receive(samples(3, [0]))
    expect(engine.trials).toBe(5)
    expect(session.gapNotice).toBeNull()
    expect(engine.timeline.log.some((e) => e.event.kind === 'restart')).toBe(true)
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(network.last.url).toContain('after=3&stream=run-2')
  })

  it('places changes from state events at the sample count where they took effect, once', async () => {
    const { network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 1]))
    network.last.receive(stateEvent('p', { p: 0.3, nextSeq: 3 }))
    network.last.receive({ type: 'ack', id: 7, state: stateOf({ p: 0.3, nextSeq: 3 }) })
    network.last.receive(stateEvent('interval', { p: 0.3, intervalMs: 1, nextSeq: 3 }))
    expect(engine.timeline.pSteps).toEqual([
      { n: 0, p: 0.72 },
      { n: 2, p: 0.3 }
    ])
    expect(engine.timeline.marks.map((m) => [m.n, m.kind])).toEqual([
      [2, 'p'],
      [2, 'interval']
    ])
  })

  it('places a change seen in the hello after a drop where the replay reaches it', async () => {
    const { network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 1]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    // While the page was away p changed; samples 3..5 are replayed, live from 6 at p = 0.1.
    network.last.receive(hello({ nextSeq: 6, p: 0.1 }))
    expect(engine.timeline.pSteps).toHaveLength(1)
    network.last.receive(samples(3, [1, 0, 0]))
    network.last.receive(samples(6, [0]))
    expect(engine.timeline.pSteps.at(-1)).toEqual({ n: 5, p: 0.1 })
  })
})

describe('StreamSession state events replayed in stream order', () => {
  it('a page joining mid-run learns the true p of the past from replayed events; the mirror stays current', async () => {
    const { session, network, engine } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello({ nextSeq: 11, p: 0.5 }))
    network.last.receive(samples(1, [1, 1, 1]))
    network.last.receive(stateEvent('p', { p: 0.2, nextSeq: 4 }))
    expect(session.mirror.trueP).toBe(0.5) // an older state never overwrites the current one
    network.last.receive(samples(4, [0, 0, 0]))
    network.last.receive(stateEvent('p', { p: 0.5, nextSeq: 7 }))
    network.last.receive(samples(7, [1, 0, 1, 1]))
    expect(engine.timeline.pSteps).toEqual([
      { n: 3, p: 0.2 },
      { n: 6, p: 0.5 }
    ])
    expect(engine.timeline.log.map((e) => e.event)).toContainEqual({
      kind: 'p',
      p: 0.2,
      previous: null
    })
    expect(engine.timeline.log.map((e) => e.event)).toContainEqual({
      kind: 'p',
      p: 0.5,
      previous: 0.2
    })
    // Live from 11 on: a new change is applied to the mirror and placed as usual.
    network.last.receive(stateEvent('interval', { p: 0.5, intervalMs: 5, nextSeq: 11 }))
    expect(session.mirror.state?.intervalMs).toBe(5)
    expect(engine.timeline.marks.at(-1)).toMatchObject({ n: 10, kind: 'interval' })
  })

  it('any replayed state event tells the p it was drawn with, not only p changes', async () => {
    const { session, network, engine } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello({ nextSeq: 6, p: 0.2 }))
    network.last.receive(stateEvent('running', { p: 0.72, running: true, nextSeq: 1 }))
    network.last.receive(samples(1, [1, 1, 1]))
    network.last.receive(stateEvent('p', { p: 0.2, nextSeq: 4 }))
    network.last.receive(samples(4, [0, 0]))
    expect(engine.timeline.pSteps).toEqual([
      { n: 0, p: 0.72 },
      { n: 3, p: 0.2 }
    ])
    expect(engine.timeline.log.map((e) => e.event.kind)).toEqual(['joined', 'p', 'running'])
  })

  it('a resume gets the event at its resume point again: it is not counted twice', async () => {
    const { network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    network.last.receive(samples(1, [1, 1]))
    network.last.receive(stateEvent('p', { p: 0.3, nextSeq: 3 }))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    network.last.receive(hello({ nextSeq: 5, p: 0.3 }))
    network.last.receive(stateEvent('p', { p: 0.3, nextSeq: 3 }))
    network.last.receive(samples(3, [0, 0]))
    network.last.receive(samples(5, [0]))
    expect(engine.timeline.pSteps).toEqual([
      { n: 0, p: 0.72 },
      { n: 2, p: 0.3 }
    ])
    expect(engine.timeline.marks.filter((m) => m.kind === 'p')).toHaveLength(1)
  })
})

describe('StreamSession newer state fields', () => {
  it('shows the seed and logs a reseed; a file source without p draws no true-p step', async () => {
    const { session, network, engine } = await connectedLayers(hello({ nextSeq: 1, seed: 42 }))
    expect(session.mirror.seed).toBe(42)
    network.last.receive(samples(1, [1]))
    network.last.receive(stateEvent('seed', { nextSeq: 2, seed: 7 }))
    expect(session.mirror.seed).toBe(7)
    expect(engine.timeline.log[0]?.event).toEqual({ kind: 'seed', seed: 7 })
    network.last.receive(stateEvent('p', { nextSeq: 2, seed: 7, p: null }))
    expect(session.mirror.trueP).toBeNull()
    expect(engine.timeline.pSteps).toEqual([{ n: 0, p: 0.72 }])
  })

  it('a page joining a replayed file without p draws no true p and no join mark', async () => {
    const source = { kind: 'replay', file: '/data/bits.txt', speed: 1 } as const
    const { session, network, engine } = await connectedLayers(
      hello({ nextSeq: 11, p: null, seed: null, source })
    )
    expect(session.mirror.sampling).toBe(false)
    expect(session.mirror.source).toEqual(source)
    network.last.receive(samples(1, [1, 0, 1, 1, 0, 0, 1, 0, 1, 1]))
    expect(engine.trials).toBe(10)
    expect(engine.timeline.pSteps).toEqual([])
    expect(engine.timeline.lastP).toBeNull()
  })

  it('a scenario’s load, steps, finish and removal land on the timeline once each, in order', async () => {
    // The events a server sends for {"steps":[{"at":0,"p":0.9},{"at":2,"p":0.1}]}, then DELETE.
    const { session, network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    const progress = (step: number, done = false) =>
      ({
        name: 'minimal.json',
        unit: 'seconds',
        steps: 2,
        step,
        pass: 1,
        loop: false,
        done
      }) as const
    network.last.receive(samples(1, [1, 1]))
    network.last.receive(stateEvent('p', { nextSeq: 3, p: 0.9, scenario: progress(1) }))
    network.last.receive(stateEvent('scenario', { nextSeq: 3, p: 0.9, scenario: progress(1) }))
    network.last.receive(samples(3, [1, 0]))
    network.last.receive(stateEvent('p', { nextSeq: 5, p: 0.1, scenario: progress(2, true) }))
    // Removed before the next sample: only the scenario tells this event from the last one.
    network.last.receive(stateEvent('scenario', { nextSeq: 5, p: 0.1, scenario: null }))
    expect(session.mirror.state?.scenario).toBeNull()
    expect(
      engine.timeline.log
        .map((entry) => [entry.n, entry.event.kind, 'what' in entry.event ? entry.event.what : ''])
        .reverse()
    ).toEqual([
      [0, 'joined', ''],
      [2, 'scenario', 'loaded'],
      [2, 'p', ''],
      [4, 'p', ''],
      [4, 'scenario', 'finished'],
      [4, 'scenario', 'ended']
    ])
    const pEvents = engine.timeline.log.filter((entry) => entry.event.kind === 'p')
    expect(pEvents.map((entry) => entry.event)).toEqual([
      {
        kind: 'p',
        p: 0.1,
        previous: 0.9,
        scenario: { name: 'minimal.json', step: 2, steps: 2 }
      },
      {
        kind: 'p',
        p: 0.9,
        previous: 0.72,
        scenario: { name: 'minimal.json', step: 1, steps: 2 }
      }
    ])
    expect(engine.timeline.marks.map((mark) => [mark.n, mark.kind])).toEqual([
      [2, 'scenario'],
      [2, 'p'],
      [4, 'p'],
      [4, 'scenario'],
      [4, 'scenario']
    ])
  })

  it('a scenario step that moves neither p nor the interval is logged, not marked', async () => {
    const { network, engine } = await connectedLayers(hello({ nextSeq: 1 }))
    const progress = (step: number) =>
      ({
        name: 'loop.yaml',
        unit: 'samples',
        steps: 3,
        step,
        pass: 1,
        loop: true,
        done: false
      }) as const
    network.last.receive(stateEvent('scenario', { nextSeq: 1, scenario: progress(1) }))
    network.last.receive(samples(1, [1]))
    network.last.receive(stateEvent('scenario', { nextSeq: 2, scenario: progress(2) }))
    expect(engine.timeline.log[0]?.event).toEqual({
      kind: 'scenario',
      what: 'step',
      name: 'loop.yaml',
      step: 2,
      steps: 3,
      pass: 1
    })
    expect(engine.timeline.marks.map((mark) => mark.kind)).toEqual(['scenario'])
  })
})

describe('StreamSession count start (Reset)', () => {
  it('keeps the reset point for a reload of the tab, and resumes counting from there', async () => {
    const tabStorage = new MemoryStorage()
    const first = await connectedLayers(hello({ nextSeq: 1 }), { tabStorage })
    first.network.last.receive(samples(1, [1, 1, 0, 1]))
    first.session.restartCount()
    expect(first.engine.trials).toBe(0)
    first.network.last.receive(samples(5, [0, 1]))
    expect(first.engine.trials).toBe(2)

    // The reload: a new page in the same tab.
    const reloaded = makeLayers({ tabStorage })
    reloaded.session.connect()
    await settle()
    expect(reloaded.network.last.url).toBe('ws://127.0.0.1:8888/v1/stream?after=4&stream=run-1')
    reloaded.network.last.accept()
    reloaded.network.last.receive(hello({ nextSeq: 7 }))
    reloaded.network.last.receive(samples(5, [0, 1]))
    expect(reloaded.engine.trials).toBe(2)
  })

  it('forgets a reset point of an older server run', async () => {
    const tabStorage = new MemoryStorage()
    tabStorage.setItem('bernoulli-stream.count-start.v1', '{"streamId":"run-0","afterSeq":40}')
    const { session, network, engine } = makeLayers({ tabStorage })
    session.connect()
    await settle()
    expect(network.last.url).toContain('after=40&stream=run-0')
    network.last.accept()
    // Another run: the server replays it from its start.
    network.last.receive(hello({ nextSeq: 3 }))
    network.last.receive(samples(1, [1, 0]))
    expect(engine.trials).toBe(2)
    expect(tabStorage.getItem('bernoulli-stream.count-start.v1')).toBeNull()
  })
})
