import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ControlError } from '../../../src/renderer/src/stream/control'
import type { BernoulliBridge } from '../../../src/shared/ipc-contract'
import {
  browserTarget,
  connectedLayers,
  hello,
  makeLayers,
  MemoryStorage,
  settle,
  stateOf
} from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('Controller over the socket', () => {
  it('sends control messages with id and token and resolves on ack', async () => {
    const { controller, network, session } = await connectedLayers()
    expect(controller.canControl).toBe(true)
    const done = controller.setP(0.3)
    const sent = network.last.controlMessages()
    expect(sent).toEqual([{ type: 'set', p: 0.3, id: 2, token: 'tok' }])
    network.last.receive({ type: 'ack', id: 2, state: stateOf({ p: 0.3 }) })
    await expect(done).resolves.toEqual(stateOf({ p: 0.3 }))
    expect(session.mirror.trueP).toBe(0.3)

    void controller.setIntervalMs(50)
    void controller.start()
    void controller.stop()
    void controller.draw(10)
    void controller.reseed(42)
    void controller.reseed()
    expect(network.last.controlMessages().slice(1)).toEqual([
      { type: 'set', intervalMs: 50, id: 3, token: 'tok' },
      { type: 'start', id: 4, token: 'tok' },
      { type: 'stop', id: 5, token: 'tok' },
      { type: 'draw', count: 10, id: 6, token: 'tok' },
      { type: 'reseed', seed: 42, id: 7, token: 'tok' },
      { type: 'reseed', id: 8, token: 'tok' }
    ])
  })

  it('rejects on an error reply and keeps it for the controls', async () => {
    const { controller, network } = await connectedLayers()
    const done = controller.setIntervalMs(5)
    network.last.receive({ type: 'error', code: 'E_RATE_LIMITED', message: 'slow down', id: 2 })
    await expect(done).rejects.toBeInstanceOf(ControlError)
    expect(controller.lastError).toMatchObject({ code: 'E_RATE_LIMITED', detail: 'slow down' })
    // A success clears it.
    const next = controller.stop()
    network.last.receive({ type: 'ack', id: 3, state: stateOf({ running: false }) })
    await next
    expect(controller.lastError).toBeNull()
  })

  it('rejects after a timeout and when the connection drops', async () => {
    const { controller, network } = await connectedLayers()
    const timedOut = controller.start()
    const timedOutCheck = expect(timedOut).rejects.toMatchObject({ code: 'E_TIMEOUT' })
    await vi.advanceTimersByTimeAsync(5000)
    await timedOutCheck
    const dropped = controller.stop()
    const droppedCheck = expect(dropped).rejects.toMatchObject({ code: 'E_NOT_CONNECTED' })
    network.last.drop()
    await droppedCheck
    await expect(controller.start()).rejects.toMatchObject({ code: 'E_NOT_CONNECTED' })
  })

  it('refuses invalid values synchronously, sending nothing', async () => {
    const { controller, network } = await connectedLayers()
    expect(() => controller.setP(1.5)).toThrow(RangeError)
    expect(() => controller.setP(Number.NaN)).toThrow(RangeError)
    expect(() => controller.setIntervalMs(0)).toThrow(RangeError)
    expect(() => controller.setIntervalMs(60_001)).toThrow(RangeError)
    expect(() => controller.draw(0)).toThrow(RangeError)
    expect(() => controller.draw(1001)).toThrow(RangeError)
    expect(() => controller.draw(2.5)).toThrow(RangeError)
    expect(() => controller.reseed(0)).toThrow(RangeError)
    expect(() => controller.reseed(2 ** 32)).toThrow(RangeError)
    expect(() => controller.reseed(1.5)).toThrow(RangeError)
    expect(network.last.controlMessages()).toEqual([])
  })

  it('is read-only with a reason when the server needs a token the page lacks', async () => {
    const { controller, network } = await connectedLayers(hello(), { target: browserTarget(null) })
    expect(controller.canControl).toBe(false)
    expect(controller.readOnlyReason).toEqual({ kind: 'no-token' })
    await expect(controller.setP(0.5)).rejects.toMatchObject({ code: 'E_READ_ONLY' })
    expect(network.last.sent).toEqual([])
  })

  it('allows control without a token when the server does not require one', async () => {
    const { controller, network } = await connectedLayers(hello({}, false), {
      target: browserTarget(null)
    })
    expect(controller.canControl).toBe(true)
    expect(controller.readOnlyReason).toBeNull()
    expect(network.last.sent).toEqual([]) // no auth check needed
  })

  it('checks the token after every hello and disables the controls until it is accepted', async () => {
    const { controller, network, session } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello())
    expect(network.last.sentMessages()).toEqual([{ type: 'auth', id: 1, token: 'tok' }])
    expect(controller.tokenCheck).toBe('checking')
    expect(controller.canControl).toBe(false)
    network.last.answerAuth()
    await settle()
    expect(controller.tokenCheck).toBe('accepted')
    expect(controller.canControl).toBe(true)
  })

  it('after a server restart with a new token: says so and disables the controls, sending nothing', async () => {
    const { controller, network } = await connectedLayers()
    network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    network.last.accept()
    network.last.receive(hello({}, true, 'run-2'))
    network.last.answerAuth({ code: 'E_UNAUTHORIZED', message: 'wrong token' })
    await settle()
    expect(controller.canControl).toBe(false)
    expect(controller.readOnlyReason).toEqual({
      kind: 'token-rejected',
      code: 'E_UNAUTHORIZED',
      newRun: true
    })
    await expect(controller.setP(0.2)).rejects.toMatchObject({ code: 'E_READ_ONLY' })
    expect(network.last.controlMessages()).toEqual([])
  })

  it('treats a server without `auth` as accepting (the first request tells)', async () => {
    const { controller, network, session } = makeLayers()
    session.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello())
    network.last.answerAuth({ code: 'E_UNKNOWN_TYPE', message: 'unknown message type' })
    await settle()
    expect(controller.canControl).toBe(true)
  })

  it('turns read-only when a request is refused for its token', async () => {
    const { controller, network } = await connectedLayers()
    const done = controller.start()
    network.last.receive({ type: 'error', code: 'E_UNAUTHORIZED', message: 'bad token', id: 2 })
    await expect(done).rejects.toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(controller.canControl).toBe(false)
    expect(controller.readOnlyReason).toMatchObject({ kind: 'token-rejected', newRun: false })
  })

  it('takes a pasted token once the server accepts it, and keeps it for reloads of the tab', async () => {
    const tabStorage = new MemoryStorage()
    const { controller, network } = await connectedLayers(hello(), {
      target: browserTarget(null),
      tabStorage
    })
    expect(await controller.useToken('   ')).toBe('malformed')
    expect(await controller.useToken('has space')).toBe('malformed')
    const refused = controller.useToken('garbage-token')
    network.last.answerAuth({ code: 'E_UNAUTHORIZED', message: 'wrong token' })
    expect(await refused).toBe('rejected')
    expect(controller.canControl).toBe(false)
    expect(tabStorage.getItem('bernoulli-stream.token.v1')).toBeNull()

    const accepted = controller.useToken(' right-token ')
    network.last.answerAuth()
    expect(await accepted).toBe('accepted')
    expect(controller.token).toBe('right-token')
    expect(controller.canControl).toBe(true)
    expect(tabStorage.getItem('bernoulli-stream.token.v1')).toBe('right-token')
    void controller.stop()
    expect(network.last.controlMessages().at(-1)).toMatchObject({
      type: 'stop',
      token: 'right-token'
    })
  })
})

describe('Controller over the desktop bridge', () => {
  it('uses the bridge, decodes its errors, and works while the socket is down', async () => {
    const bridge = {
      start: vi.fn().mockResolvedValue(stateOf()),
      stop: vi.fn().mockResolvedValue(stateOf({ running: false })),
      setP: vi.fn().mockResolvedValue(stateOf({ p: 0.1 })),
      setIntervalMs: vi.fn().mockRejectedValue({
        code: 'E_INVALID_INTERVAL',
        message: 'interval must be a number of milliseconds from 1 to 60000, got 0.5'
      }),
      draw: vi.fn().mockRejectedValue({ code: 'E_RUNNING', message: 'stop the stream first' })
    } as unknown as BernoulliBridge
    const { controller, network } = await connectedLayers(hello(), {
      target: { ...browserTarget('t'), bridge }
    })
    expect(network.last.sent).toEqual([]) // no token check through the bridge
    await controller.setP(0.1)
    await controller.stop()
    expect(bridge.setP).toHaveBeenCalledWith(0.1)
    expect(bridge.stop).toHaveBeenCalled()
    await expect(controller.setIntervalMs(5)).rejects.toMatchObject({
      code: 'E_INVALID_INTERVAL',
      detail: 'interval must be a number of milliseconds from 1 to 60000, got 0.5'
    })
    expect(network.last.sent).toEqual([])
    // Step mode goes through the bridge too, with main's refusal as it gave it.
    expect(controller.canDraw).toBe(true)
    await expect(controller.draw(1)).rejects.toMatchObject({
      code: 'E_RUNNING',
      detail: 'stop the stream first'
    })
    expect(bridge.draw).toHaveBeenCalledWith(1)
    expect(network.last.sent).toEqual([])
    network.last.drop()
    expect(controller.canControl).toBe(true)
  })

  it('draws through the bridge when the bridge has step mode', async () => {
    const draw = vi.fn().mockResolvedValue(stateOf({ running: false }))
    const bridge = { draw } as unknown as BernoulliBridge
    const { controller } = await connectedLayers(hello(), {
      target: { ...browserTarget('t'), bridge }
    })
    expect(controller.canDraw).toBe(true)
    await controller.draw(10)
    expect(draw).toHaveBeenCalledWith(10)
  })

  it('reseeds through the bridge, sending nothing on the socket', async () => {
    const reseed = vi.fn().mockResolvedValue(stateOf({ seed: 9 }))
    const bridge = { reseed } as unknown as BernoulliBridge
    const { controller, network } = await connectedLayers(hello(), {
      target: { ...browserTarget('t'), bridge }
    })
    await controller.reseed(9)
    await controller.reseed()
    expect(reseed.mock.calls).toEqual([[9], []])
    expect(network.last.sent).toEqual([])
  })
})
