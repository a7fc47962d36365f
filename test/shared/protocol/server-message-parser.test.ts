import { describe, expect, it } from 'vitest'
import { parseServerMessage } from '../../../src/shared/protocol/server-message-parser'

const state = { p: 0.5, intervalMs: 100, running: true, nextSeq: 1 }

describe('parseServerMessage', () => {
  it('accepts each message type', () => {
    const hello = {
      type: 'hello',
      protocol: 1,
      server: 's',
      streamId: 'abc',
      state,
      controlRequiresToken: true,
      bindHost: '127.0.0.1'
    }
    expect(parseServerMessage(JSON.stringify(hello))).toEqual({ ok: true, message: hello })
    const samples = { type: 'samples', seq: 3, values: [0, 1], times: [1, 2] }
    expect(parseServerMessage(JSON.stringify(samples))).toEqual({ ok: true, message: samples })
    expect(parseServerMessage(JSON.stringify({ type: 'state', change: 'p', state }))).toMatchObject(
      { ok: true }
    )
    expect(parseServerMessage('{"type":"gap","from":3,"to":9}')).toMatchObject({ ok: true })
    expect(parseServerMessage(JSON.stringify({ type: 'ack', id: 4, state }))).toMatchObject({
      ok: true
    })
    expect(
      parseServerMessage('{"type":"error","code":"E_INVALID_P","message":"m","id":null}')
    ).toMatchObject({ ok: true })
  })

  it('reads a recording in the state, and leaves a malformed one out', () => {
    const recording = { file: '/tmp/run.csv', format: 'csv', fromSeq: 12, failed: false }
    const parsed = parseServerMessage(
      JSON.stringify({ type: 'state', change: 'recording', state: { ...state, recording } })
    )
    expect(parsed).toEqual({
      ok: true,
      message: { type: 'state', change: 'recording', state: { ...state, recording } }
    })
    const stopped = parseServerMessage(
      JSON.stringify({ type: 'state', change: 'recording', state: { ...state, recording: null } })
    )
    expect(stopped.ok && stopped.message.type === 'state' && stopped.message.state.recording).toBe(
      null
    )
    const odd = parseServerMessage(
      JSON.stringify({
        type: 'ack',
        id: 1,
        state: { ...state, recording: { ...recording, format: 'xlsx' } }
      })
    )
    expect(odd.ok && odd.message.type === 'ack' && 'recording' in odd.message.state).toBe(false)
  })

  it.each([
    'nope',
    '{"type":"hello","protocol":2}',
    '{"type":"samples","seq":1,"values":[2],"times":[1]}',
    '{"type":"samples","seq":1,"values":[1,0],"times":[1]}',
    '{"type":"samples","seq":1,"values":[],"times":[]}',
    '{"type":"samples","seq":-1,"values":[1],"times":[1]}',
    '{"type":"gap","from":9,"to":3}',
    '{"type":"error","code":"E_MADE_UP","message":"m"}',
    '{"type":"state","change":"colour","state":{}}',
    '{"type":"surprise"}'
  ])('refuses %s', (text) => {
    expect(parseServerMessage(text).ok).toBe(false)
  })
})
