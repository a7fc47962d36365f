import { describe, expect, it } from 'vitest'
import { parseInvokeArgs } from '../../../src/main/app/ipc-arguments'
import { CodedError, ErrorCode } from '../../../src/shared/error-codes'
import { IPC_INVOKE_CHANNELS, type IpcInvokeChannel } from '../../../src/shared/ipc-contract'

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return error instanceof CodedError ? error.code : `not coded: ${String(error)}`
  }
  return undefined
}

describe('parseInvokeArgs', () => {
  const noArgChannels: IpcInvokeChannel[] = ['stream:start', 'stream:stop', 'app:connection-info']

  it.each(noArgChannels)('%s takes no arguments', (channel) => {
    expect(parseInvokeArgs(channel, [])).toEqual([])
    expect(codeOf(() => parseInvokeArgs(channel, [1]))).toBe(ErrorCode.InvalidIpc)
    expect(codeOf(() => parseInvokeArgs(channel, [undefined]))).toBe(ErrorCode.InvalidIpc)
  })

  it('accepts p in [0, 1], bounds included', () => {
    expect(parseInvokeArgs('stream:set-p', [0])).toEqual([0])
    expect(parseInvokeArgs('stream:set-p', [0.5])).toEqual([0.5])
    expect(parseInvokeArgs('stream:set-p', [1])).toEqual([1])
  })

  it.each([[Number.NaN], [Infinity], [-0.01], [1.01], ['0.5'], [null], [{}], [[0.5]], [true]])(
    'refuses p = %j with E_INVALID_P',
    (value) => {
      expect(codeOf(() => parseInvokeArgs('stream:set-p', [value]))).toBe(ErrorCode.InvalidP)
    }
  )

  it('refuses a missing or an extra argument to set-p with E_INVALID_IPC', () => {
    expect(codeOf(() => parseInvokeArgs('stream:set-p', []))).toBe(ErrorCode.InvalidIpc)
    expect(codeOf(() => parseInvokeArgs('stream:set-p', [0.5, 0.5]))).toBe(ErrorCode.InvalidIpc)
  })

  it('accepts intervals in [1, 60000] ms, fractions included', () => {
    expect(parseInvokeArgs('stream:set-interval', [1])).toEqual([1])
    expect(parseInvokeArgs('stream:set-interval', [2.5])).toEqual([2.5])
    expect(parseInvokeArgs('stream:set-interval', [60_000])).toEqual([60_000])
  })

  it.each([[Number.NaN], [0], [0.999], [60_001], [-5], ['100'], [null], [undefined]])(
    'refuses interval = %j with E_INVALID_INTERVAL',
    (value) => {
      expect(codeOf(() => parseInvokeArgs('stream:set-interval', [value]))).toBe(
        ErrorCode.InvalidInterval
      )
    }
  )

  it('refuses an extra argument to set-interval', () => {
    expect(codeOf(() => parseInvokeArgs('stream:set-interval', [100, 'x']))).toBe(
      ErrorCode.InvalidIpc
    )
  })

  it('knows every channel of the contract and refuses others', () => {
    for (const channel of IPC_INVOKE_CHANNELS) {
      // Every channel answers with a coded result: [] for no-argument channels, a code otherwise.
      expect(String(codeOf(() => parseInvokeArgs(channel, [])))).not.toMatch(/^not coded/)
    }
    expect(codeOf(() => parseInvokeArgs('toString' as IpcInvokeChannel, []))).toBe(
      ErrorCode.InvalidIpc
    )
  })
})
