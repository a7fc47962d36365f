import { describe, expect, it, vi } from 'vitest'
import {
  choiceForButton,
  isPortInUse,
  listenWithPortFallback,
  portConflictPrompt,
  type PortConflictChoice
} from '../../../src/main/app/port-conflict'
import { CodedError, ErrorCode } from '../../../src/shared/error-codes'
import { createFakeStreamService, portInUse, type FakeStreamService } from './fake-stream-service'

/** Services created per port; the ports in `taken` reject with E_PORT_IN_USE. */
function servicesFor(taken: Set<number>) {
  const created: Array<{ port: number; service: FakeStreamService }> = []
  const createService = (port: number): FakeStreamService => {
    const service = createFakeStreamService({
      port,
      listenError: taken.has(port) ? portInUse(port) : undefined
    })
    created.push({ port, service })
    return service
  }
  return { created, createService }
}

const answers = (...choices: PortConflictChoice[]) => {
  const queue = [...choices]
  return vi.fn(async () => queue.shift() ?? 'quit')
}

describe('portConflictPrompt', () => {
  it('names the port and offers a free port, a retry and quitting', () => {
    const prompt = portConflictPrompt(8888)
    expect(prompt.message).toContain('8888')
    expect(prompt.buttons).toEqual(['Use a free port', 'Try again', 'Quit'])
    expect(choiceForButton(prompt, prompt.defaultId)).toBe('use-free-port')
    expect(choiceForButton(prompt, prompt.cancelId)).toBe('quit')
    expect(choiceForButton(prompt, 1)).toBe('retry')
    expect(choiceForButton(prompt, 99)).toBe('quit')
  })
})

describe('isPortInUse', () => {
  it('recognises the service rejection only', () => {
    expect(isPortInUse(portInUse(1))).toBe(true)
    expect(isPortInUse(new CodedError(ErrorCode.ListenFailed, 'x'))).toBe(false)
    expect(isPortInUse(new Error('EADDRINUSE'))).toBe(false)
    expect(isPortInUse(null)).toBe(false)
  })
})

describe('listenWithPortFallback', () => {
  it('listens on the configured port without asking when it is free', async () => {
    const { createService } = servicesFor(new Set())
    const ask = answers()
    const result = await listenWithPortFallback({ port: 8888, createService, askOnConflict: ask })
    expect(result).toMatchObject({ kind: 'listening', portChanged: false, info: { port: 8888 } })
    expect(ask).not.toHaveBeenCalled()
  })

  it('takes a free port when the user asks, closing the failed service', async () => {
    const { created, createService } = servicesFor(new Set([8888]))
    const ask = answers('use-free-port')
    const result = await listenWithPortFallback({ port: 8888, createService, askOnConflict: ask })
    expect(ask).toHaveBeenCalledWith(8888)
    expect(created.map((c) => c.port)).toEqual([8888, 0])
    expect(created[0]?.service.close).toHaveBeenCalled()
    expect(result).toMatchObject({ kind: 'listening', portChanged: true, info: { port: 49152 } })
  })

  it('retries the same port as often as the user asks', async () => {
    const taken = new Set([8888])
    const { created, createService } = servicesFor(taken)
    const ask = vi.fn(async (): Promise<PortConflictChoice> => {
      if (ask.mock.calls.length === 2) taken.delete(8888)
      return 'retry'
    })
    const result = await listenWithPortFallback({ port: 8888, createService, askOnConflict: ask })
    expect(created.map((c) => c.port)).toEqual([8888, 8888, 8888])
    expect(result).toMatchObject({ kind: 'listening', portChanged: false })
  })

  it('quits when the user says so', async () => {
    const { createService } = servicesFor(new Set([8888]))
    const result = await listenWithPortFallback({
      port: 8888,
      createService,
      askOnConflict: answers('quit')
    })
    expect(result).toEqual({ kind: 'quit' })
  })

  it('passes other listen failures on without asking', async () => {
    const failure = new CodedError(ErrorCode.ListenFailed, 'permission denied')
    const service = createFakeStreamService({ listenError: failure })
    const ask = answers()
    await expect(
      listenWithPortFallback({ port: 80, createService: () => service, askOnConflict: ask })
    ).rejects.toBe(failure)
    expect(ask).not.toHaveBeenCalled()
    expect(service.close).toHaveBeenCalled()
  })
})
