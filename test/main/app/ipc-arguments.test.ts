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

  it('accepts draw counts that are whole numbers in [1, 1000]', () => {
    expect(parseInvokeArgs('stream:draw', [1])).toEqual([1])
    expect(parseInvokeArgs('stream:draw', [1000])).toEqual([1000])
  })

  it.each([[0], [1001], [2.5], [-1], [Number.NaN], ['10'], [null], [undefined], [[1]]])(
    'refuses draw count = %j with E_BAD_MESSAGE, as the JSON path does',
    (value) => {
      expect(codeOf(() => parseInvokeArgs('stream:draw', [value]))).toBe(ErrorCode.BadMessage)
    }
  )

  it('refuses draw without a count or with two', () => {
    expect(codeOf(() => parseInvokeArgs('stream:draw', []))).toBe(ErrorCode.InvalidIpc)
    expect(codeOf(() => parseInvokeArgs('stream:draw', [1, 1]))).toBe(ErrorCode.InvalidIpc)
  })

  it('reseeds with a seed in [1, 2^32 − 1], or with none (a random one)', () => {
    expect(parseInvokeArgs('stream:reseed', [])).toEqual([])
    expect(parseInvokeArgs('stream:reseed', [undefined])).toEqual([])
    expect(parseInvokeArgs('stream:reseed', [1])).toEqual([1])
    expect(parseInvokeArgs('stream:reseed', [0xffff_ffff])).toEqual([0xffff_ffff])
  })

  it.each([[0], [0x1_0000_0000], [1.5], [-3], ['42'], [null], [Number.NaN]])(
    'refuses seed = %j with E_INVALID_SEED',
    (value) => {
      expect(codeOf(() => parseInvokeArgs('stream:reseed', [value]))).toBe(ErrorCode.InvalidSeed)
    }
  )

  it('refuses reseed with two arguments', () => {
    expect(codeOf(() => parseInvokeArgs('stream:reseed', [1, 2]))).toBe(ErrorCode.InvalidIpc)
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
