import { describe, expect, it } from 'vitest'
import { parseClientMessage } from '../../../src/shared/protocol/client-message-parser'

describe('parseClientMessage', () => {
  it('parses the control messages', () => {
    expect(parseClientMessage('{"type":"start","id":1,"token":"t"}')).toEqual({
      ok: true,
      message: { type: 'start', id: 1, token: 't' }
    })
    expect(parseClientMessage('{"type":"stop"}')).toEqual({
      ok: true,
      message: { type: 'stop', id: null, token: null }
    })
    expect(parseClientMessage('{"type":"draw","count":10,"id":"d","token":"t"}')).toEqual({
      ok: true,
      message: { type: 'draw', id: 'd', token: 't', count: 10 }
    })
    expect(parseClientMessage('{"type":"auth","id":2,"token":"t"}')).toEqual({
      ok: true,
      message: { type: 'auth', id: 2, token: 't' }
    })
    expect(parseClientMessage('{"type":"set","p":0,"intervalMs":60000}')).toEqual({
      ok: true,
      message: { type: 'set', id: null, token: null, p: 0, intervalMs: 60000 }
    })
  })

  it.each([
    ['', 'E_BAD_JSON'],
    ['nul', 'E_BAD_JSON'],
    ['null', 'E_UNKNOWN_TYPE'],
    ['42', 'E_UNKNOWN_TYPE'],
    ['"set"', 'E_UNKNOWN_TYPE'],
    ['{}', 'E_UNKNOWN_TYPE'],
    ['{"type":"constructor"}', 'E_UNKNOWN_TYPE'],
    ['{"type":"toString"}', 'E_UNKNOWN_TYPE'],
    ['{"type":"set"}', 'E_BAD_MESSAGE'],
    ['{"type":"set","p":null}', 'E_INVALID_P'],
    ['{"type":"set","p":1e308}', 'E_INVALID_P'],
    ['{"type":"set","p":-0.0001}', 'E_INVALID_P'],
    ['{"type":"set","intervalMs":0.5}', 'E_INVALID_INTERVAL'],
    ['{"type":"set","intervalMs":1e9}', 'E_INVALID_INTERVAL'],
    ['{"type":"set","intervalMs":[100]}', 'E_INVALID_INTERVAL'],
    ['{"type":"stop","token":5}', 'E_BAD_MESSAGE'],
    ['{"type":"stop","id":{"a":1}}', 'E_BAD_MESSAGE'],
    [`{"type":"stop","id":"${'x'.repeat(200)}"}`, 'E_BAD_MESSAGE'],
    ['{"__proto__":{"type":"stop"}}', 'E_UNKNOWN_TYPE'],
    ['{"type":"draw"}', 'E_BAD_MESSAGE'],
    ['{"type":"draw","count":0}', 'E_BAD_MESSAGE'],
    ['{"type":"draw","count":1001}', 'E_BAD_MESSAGE'],
    ['{"type":"draw","count":1.5}', 'E_BAD_MESSAGE'],
    ['{"type":"draw","count":"10"}', 'E_BAD_MESSAGE'],
    ['{"type":"auth","token":7}', 'E_BAD_MESSAGE']
  ])('refuses %s with %s', (text, code) => {
    const result = parseClientMessage(text)
    expect(result).toMatchObject({ ok: false, code })
  })

  it('keeps the id on errors so the client can match the reply', () => {
    expect(parseClientMessage('{"type":"set","p":2,"id":"x1"}')).toMatchObject({
      ok: false,
      id: 'x1'
    })
  })

  it('never echoes a huge input in its message', () => {
    const result = parseClientMessage(JSON.stringify({ type: 'x'.repeat(100_000) }))
    expect(!result.ok && result.message.length).toBeLessThan(200)
  })
})
