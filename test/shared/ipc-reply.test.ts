import { describe, expect, it } from 'vitest'
import { CodedError, ErrorCode } from '../../src/shared/error-codes'
import { decodeIpcReply, encodeIpcError, isIpcError } from '../../src/shared/ipc-reply'

function rejection(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('did not throw')
}

describe('encodeIpcError / decodeIpcReply', () => {
  it('carries a CodedError’s code and message through a reply', () => {
    const error = encodeIpcError(new CodedError(ErrorCode.InvalidP, 'p must be in [0, 1]'))
    expect(error).toEqual({ code: 'E_INVALID_P', message: 'p must be in [0, 1]' })
    // Structured clone (what Electron's IPC does) keeps it whole.
    const reply = structuredClone({ ok: false, error })
    expect(rejection(() => decodeIpcReply(reply))).toEqual(error)
  })

  it('encodes anything else as E_INTERNAL with its message', () => {
    expect(encodeIpcError(new TypeError('x is undefined'))).toEqual({
      code: 'E_INTERNAL',
      message: 'x is undefined'
    })
    expect(encodeIpcError('text')).toEqual({ code: 'E_INTERNAL', message: 'text' })
    expect(encodeIpcError({ code: 'E_NOT_OURS', message: 'm' })).toMatchObject({
      code: 'E_INTERNAL'
    })
  })

  it('returns the value of a successful reply, falsy values included', () => {
    expect(decodeIpcReply({ ok: true, value: { p: 0.5 } })).toEqual({ p: 0.5 })
    expect(decodeIpcReply({ ok: true, value: 0 })).toBe(0)
    expect(decodeIpcReply({ ok: true, value: null })).toBeNull()
  })

  it.each([
    ['a string', 'E_INVALID_P: oops'],
    ['null', null],
    ['no value', { ok: true }],
    ['an unknown code', { ok: false, error: { code: 'E_MADE_UP', message: 'm' } }],
    ['a failure without message', { ok: false, error: { code: 'E_INVALID_P' } }],
    ['ok not boolean', { ok: 'yes', value: 1 }]
  ])('refuses a malformed reply (%s) with E_INVALID_IPC', (_name, reply) => {
    expect(rejection(() => decodeIpcReply(reply))).toMatchObject({ code: 'E_INVALID_IPC' })
  })

  it('isIpcError accepts exactly { code: known code, message: string }', () => {
    expect(isIpcError({ code: 'E_INVALID_IPC', message: '' })).toBe(true)
    expect(isIpcError(new Error('E_INVALID_IPC'))).toBe(false)
    expect(isIpcError({ code: 'E_INVALID_IPC', message: 1 })).toBe(false)
    expect(isIpcError(undefined)).toBe(false)
  })
})
