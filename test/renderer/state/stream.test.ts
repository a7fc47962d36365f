import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BernoulliBridge } from '../../../src/shared/ipc-contract'
import { ControlError } from '../../../src/renderer/src/state/stream.svelte'
import {
  browserTarget,
  FakeNetwork,
  hello,
  makeClient,
  samples,
  settle,
  state
} from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A client connected to a fake server that has said hello. */
async function connected(helloState = {}, controlRequiresToken = true, target = browserTarget()) {
  const ctx = makeClient({}, target)
  ctx.client.connect()
  await settle()
  ctx.network.last.accept()
  ctx.network.last.receive(hello(helloState, controlRequiresToken))
  return ctx
}

describe('StreamClient connection', () => {
  it('connects to the JSON stream and reports connecting → live → stopped', async () => {
    const { client, network } = makeClient()
    expect(client.status).toEqual({ kind: 'connecting' })
    client.connect()
    client.connect() // idempotent
    await settle()
    expect(network.sockets).toHaveLength(1)
    expect(network.last.url).toBe('ws://127.0.0.1:8888/v1/stream')
    network.last.accept()
    expect(client.status).toEqual({ kind: 'connecting' }) // open, but no hello yet
    network.last.receive(hello({ nextSeq: 101 }))
    expect(client.status).toEqual({ kind: 'live' })
    expect(client.serverName).toBe('bernoulli-stream/0.1.0')
    network.last.receive({
      type: 'state',
      change: 'running',
      state: state({ running: false, nextSeq: 101 })
    })
    expect(client.status).toEqual({ kind: 'stopped' })
  })

  it('reconnects with exponential backoff, a countdown, and ?after=<last seq>', async () => {
    const { client, network } = await connected({ nextSeq: 11 })
    network.last.receive(samples(11, [1, 0, 1]))
    network.last.drop()
    expect(client.status).toEqual({ kind: 'reconnecting', seconds: 1 })
    await vi.advanceTimersByTimeAsync(250)
    expect(network.sockets).toHaveLength(2)
    expect(network.last.url).toBe('ws://127.0.0.1:8888/v1/stream?after=13&stream=run-1')
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
    network.last.receive(hello({ nextSeq: 14 }))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(network.last.url).toBe('ws://127.0.0.1:8888/v1/stream?after=13&stream=run-1')
  })

  it('counts down while waiting, and retryNow skips the wait', async () => {
    const { client, network } = await connected()
    for (let i = 0; i < 5; i++) {
      network.last.drop()
      await vi.advanceTimersByTimeAsync(10_000)
    }
    network.last.drop() // the next wait is 8 s
    expect(client.status).toEqual({ kind: 'reconnecting', seconds: 8 })
    await vi.advanceTimersByTimeAsync(3_100)
    expect(client.status).toEqual({ kind: 'reconnecting', seconds: 5 })
    const count = network.sockets.length
    client.retryNow()
    await settle()
    expect(network.sockets.length).toBe(count + 1)
    expect(client.status).toEqual({ kind: 'connecting' })
  })

  it('gives up on a connection that sends no hello within 10 s', async () => {
    const { client, network } = makeClient()
    client.connect()
    await settle()
    network.last.accept()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(network.last.closedWith?.code).toBe(4000)
    expect(client.status.kind).toBe('reconnecting')
  })

  it('retries when the target cannot be resolved (main not ready)', async () => {
    const resolveTarget = vi
      .fn()
      .mockRejectedValueOnce(new Error('not yet'))
      .mockResolvedValue(browserTarget())
    const { client, network } = makeClient({ resolveTarget })
    client.connect()
    await settle()
    expect(client.status.kind).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(250)
    expect(network.sockets).toHaveLength(1)
  })

  it('retries when the socket cannot even be created', async () => {
    const network = new FakeNetwork()
    let calls = 0
    const { client } = makeClient({
      openSocket: (url, handlers) => {
        if (calls++ === 0) throw new SyntaxError('bad url')
        return network.factory(url, handlers)
      }
    })
    client.connect()
    await settle()
    expect(client.status.kind).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(250)
    expect(network.sockets).toHaveLength(1)
    expect(client.status.kind).toBe('connecting')
  })

  it('disconnect closes, stops reconnecting, and is idempotent', async () => {
    const { client, network } = await connected()
    client.disconnect()
    client.disconnect()
    expect(network.last.closedWith?.code).toBe(1000)
    expect(client.status).toEqual({ kind: 'offline' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(network.sockets).toHaveLength(1)
  })

  it('ignores malformed and binary frames, counting them', async () => {
    const { client, network, tracker } = await connected()
    network.last.receive('not json')
    network.last.receive({ type: 'samples', seq: 1, values: [2], times: [1] })
    network.last.receive({ type: 'nonsense' })
    // Binary frames arrive as non-strings.
    ;(network.last as unknown as { handlers: { message(d: unknown): void } }).handlers.message(
      new ArrayBuffer(2)
    )
    tracker.flush()
    expect(client.malformedFrames).toBe(4)
    expect(tracker.snapshot.trials).toBe(0)
    expect(client.status).toEqual({ kind: 'live' })
  })
})

describe('StreamClient exactly-once accounting', () => {
  it('counts every sample once across a reconnection with replay', async () => {
    const { client, network, tracker } = await connected({ nextSeq: 1 })
    network.last.receive(samples(1, [1, 1, 0]))
    network.last.receive(samples(4, [0, 1]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(network.last.url).toContain('after=5')
    network.last.accept()
    network.last.receive(hello({ nextSeq: 9 }))
    // The server replays from 4 (overlapping what we have) up to 8.
    network.last.receive(samples(4, [0, 1, 1, 1, 0]))
    tracker.flush()
    expect(tracker.snapshot.trials).toBe(8)
    expect(tracker.snapshot.successes).toBe(5)
    expect(client.lastSeq).toBe(8)
    expect(client.gapNotice).toBeNull()
  })

  it('shows an announced gap and counts exactly the samples received', async () => {
    const { client, network, tracker } = await connected({ nextSeq: 1 })
    network.last.receive(samples(1, [1, 0]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    network.last.receive(hello({ nextSeq: 1000 }))
    network.last.receive({ type: 'gap', from: 3, to: 899 })
    network.last.receive(samples(900, [1, 1]))
    tracker.flush()
    expect(client.gapNotice).toEqual({ from: 3, to: 899, gaps: 1, lost: 897 })
    expect(tracker.snapshot.trials).toBe(4)
    expect(tracker.log.some((e) => e.kind === 'gap' && e.text === 'samples 3–899 lost (897)')).toBe(
      true
    )
    client.dismissGapNotice()
    expect(client.gapNotice).toBeNull()
  })

  it('treats a batch that skips ahead without a gap message as a gap', async () => {
    const { client, network, tracker } = await connected({ nextSeq: 50 })
    network.last.receive(samples(50, [1]))
    network.last.receive(samples(60, [0, 0]))
    tracker.flush()
    expect(client.gapNotice).toEqual({ from: 51, to: 59, gaps: 1, lost: 9 })
    expect(tracker.snapshot.trials).toBe(3)
    expect(tracker.log[0]?.text).toContain('found by sequence numbers')
  })

  it('starts counting at the first hello: earlier samples are not a gap', async () => {
    const { client, network, tracker } = await connected({ nextSeq: 5000 })
    network.last.receive(samples(5000, [1]))
    tracker.flush()
    expect(client.gapNotice).toBeNull()
    expect(tracker.snapshot.trials).toBe(1)
  })

  it('notices a restarted server (new stream id) and counts its run from the start', async () => {
    const { client, network, tracker } = await connected({ nextSeq: 500 })
    network.last.receive(samples(500, [1, 1]))
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    network.last.receive(hello({ nextSeq: 3 }, true, 'run-2'))
    // The new run is replayed from its first sample, then goes live.
    network.last.receive(samples(1, [0, 1]))
    network.last.receive(samples(3, [0]))
    tracker.flush()
    expect(tracker.snapshot.trials).toBe(5)
    expect(client.gapNotice).toBeNull()
    expect(tracker.log.some((e) => e.kind === 'restart')).toBe(true)
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    expect(network.last.url).toContain('after=3&stream=run-2')
  })

  it('records changes from state events at the right sample count, once', async () => {
    const { network, tracker } = await connected({ nextSeq: 1 })
    network.last.receive(samples(1, [1, 1]))
    network.last.receive({ type: 'state', change: 'p', state: state({ p: 0.3, nextSeq: 3 }) })
    network.last.receive({ type: 'ack', id: 7, state: state({ p: 0.3, nextSeq: 3 }) })
    network.last.receive({
      type: 'state',
      change: 'interval',
      state: state({ p: 0.3, intervalMs: 1, nextSeq: 3 })
    })
    tracker.flush()
    expect(tracker.estimate.pSteps.slice(0, 2)).toEqual([
      { n: 0, p: 0.72 },
      { n: 2, p: 0.3 }
    ])
    expect(tracker.estimate.marks).toEqual([{ n: 2, kind: 'interval', label: 'interval → 1 ms' }])
  })
})

describe('StreamClient control', () => {
  it('sends control messages with id and token and resolves on ack', async () => {
    const { client, network } = await connected()
    expect(client.canControl).toBe(true)
    const done = client.setP(0.3)
    expect(network.last.sentMessages()).toEqual([{ type: 'set', p: 0.3, id: 1, token: 'tok' }])
    network.last.receive({ type: 'ack', id: 1, state: state({ p: 0.3 }) })
    await expect(done).resolves.toEqual(state({ p: 0.3 }))
    expect(client.serverState?.p).toBe(0.3)

    void client.setIntervalMs(50)
    void client.start()
    void client.stop()
    expect(network.last.sentMessages().slice(1)).toEqual([
      { type: 'set', intervalMs: 50, id: 2, token: 'tok' },
      { type: 'start', id: 3, token: 'tok' },
      { type: 'stop', id: 4, token: 'tok' }
    ])
  })

  it('rejects on an error reply and shows it', async () => {
    const { client, network } = await connected()
    const done = client.setIntervalMs(5)
    network.last.receive({ type: 'error', code: 'E_RATE_LIMITED', message: 'slow down', id: 1 })
    await expect(done).rejects.toBeInstanceOf(ControlError)
    expect(client.controlError).toBe('slow down (E_RATE_LIMITED)')
  })

  it('rejects after a timeout and when the connection drops', async () => {
    const { client, network } = await connected()
    const timedOut = client.start()
    const timedOutCheck = expect(timedOut).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    await vi.advanceTimersByTimeAsync(5000)
    await timedOutCheck
    const dropped = client.stop()
    const droppedCheck = expect(dropped).rejects.toMatchObject({ code: 'E_NOT_CONNECTED' })
    network.last.drop()
    await droppedCheck
    await expect(client.start()).rejects.toMatchObject({ code: 'E_NOT_CONNECTED' })
  })

  it('refuses invalid values synchronously, sending nothing', async () => {
    const { client, network } = await connected()
    expect(() => client.setP(1.5)).toThrow(RangeError)
    expect(() => client.setP(Number.NaN)).toThrow(RangeError)
    expect(() => client.setIntervalMs(0)).toThrow(RangeError)
    expect(() => client.setIntervalMs(60_001)).toThrow(RangeError)
    expect(network.last.sent).toEqual([])
  })

  it('is read-only with an explanation when the server needs a token the page lacks', async () => {
    const { client, network } = await connected({}, true, browserTarget(null))
    expect(client.canControl).toBe(false)
    expect(client.readOnlyReason).toMatch(/without the control token/)
    await expect(client.setP(0.5)).rejects.toBeInstanceOf(ControlError)
    expect(network.last.sent).toEqual([])
  })

  it('allows control without a token when the server does not require one', async () => {
    const { client } = await connected({}, false, browserTarget(null))
    expect(client.canControl).toBe(true)
    expect(client.readOnlyReason).toBeNull()
  })

  it('turns read-only when the server rejects the token', async () => {
    const { client, network } = await connected()
    const done = client.start()
    network.last.receive({ type: 'error', code: 'E_UNAUTHORIZED', message: 'bad token', id: 1 })
    await expect(done).rejects.toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(client.canControl).toBe(false)
    expect(client.readOnlyReason).toMatch(/refused this page’s control token/)
  })

  it('uses the Electron bridge for control when there is one', async () => {
    const bridge = {
      start: vi.fn().mockResolvedValue(state()),
      stop: vi.fn().mockResolvedValue(state({ running: false })),
      setP: vi.fn().mockResolvedValue(state({ p: 0.1 })),
      setIntervalMs: vi
        .fn()
        .mockRejectedValue(
          new Error("Error invoking remote method 'stream:set-interval': E_INVALID_INTERVAL")
        )
    } as unknown as BernoulliBridge
    const { client, network } = await connected({}, true, { ...browserTarget('t'), bridge })
    await client.setP(0.1)
    await client.stop()
    expect(bridge.setP).toHaveBeenCalledWith(0.1)
    expect(bridge.stop).toHaveBeenCalled()
    await expect(client.setIntervalMs(5)).rejects.toMatchObject({ code: 'E_INVALID_INTERVAL' })
    expect(network.last.sent).toEqual([])
    // The bridge works even while the socket is down.
    network.last.drop()
    expect(client.canControl).toBe(true)
  })
})
