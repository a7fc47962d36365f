import { describe, expect, it } from 'vitest'
import type { ClientMessage } from '../../../src/shared/protocol/messages'
import { controlGate, type ControlPeer } from '../../../src/main/server/control-gate'
import { TokenBucket } from '../../../src/main/server/token-bucket'

const TOKEN = 'the-token'

interface Row {
  what: string
  originAllowed?: boolean
  /** Control messages this connection may still send now. */
  allowance?: number
  closing?: boolean
  serverToken?: string | null
  token?: string | null
  expected: 'allow' | string
}

// Each row changes one thing from a message that passes, or two, to pin the order.
const rows: Row[] = [
  { what: 'the right token from an allowed origin', expected: 'allow' },
  { what: 'no token when the server asks none', serverToken: null, token: null, expected: 'allow' },
  { what: 'a wrong token', token: 'guess', expected: 'E_UNAUTHORIZED' },
  { what: 'no token', token: null, expected: 'E_UNAUTHORIZED' },
  { what: 'a prefix of the token', token: 'the-tok', expected: 'E_UNAUTHORIZED' },
  { what: 'a foreign origin', originAllowed: false, expected: 'E_FORBIDDEN_ORIGIN' },
  {
    what: 'a foreign origin, wrong token: origin first',
    originAllowed: false,
    token: 'guess',
    expected: 'E_FORBIDDEN_ORIGIN'
  },
  { what: 'no allowance left', allowance: 0, expected: 'E_RATE_LIMITED' },
  {
    what: 'no allowance, foreign origin, wrong token: rate first',
    allowance: 0,
    originAllowed: false,
    token: 'guess',
    expected: 'E_RATE_LIMITED'
  },
  { what: 'shutting down', closing: true, expected: 'E_SERVER_CLOSED' },
  {
    what: 'shutting down, no allowance: shutdown first',
    closing: true,
    allowance: 0,
    expected: 'E_SERVER_CLOSED'
  }
]

function peerWith(originAllowed: boolean, allowance: number): ControlPeer {
  const controlBucket = new TokenBucket(1, 5, 0)
  for (let i = 5; i > allowance; i--) controlBucket.tryTake(0)
  return { originAllowed, controlBucket }
}

describe('controlGate: shutdown → rate → origin → token', () => {
  it.each(rows)('$what → $expected', (row) => {
    const message: ClientMessage = { type: 'stop', id: 7, token: row.token ?? null }
    if (row.token === undefined) message.token = TOKEN
    const verdict = controlGate(
      peerWith(row.originAllowed ?? true, row.allowance ?? 5),
      message,
      0,
      {
        controlToken: row.serverToken === undefined ? TOKEN : row.serverToken,
        closing: row.closing ?? false
      }
    )
    if (row.expected === 'allow') expect(verdict).toEqual({ ok: true, message })
    else expect(verdict).toMatchObject({ ok: false, code: row.expected, id: 7 })
  })

  it('spends the allowance on refused messages too, and refills with time', () => {
    const peer = peerWith(true, 2)
    const policy = { controlToken: TOKEN, closing: false }
    const wrong: ClientMessage = { type: 'start', id: null, token: 'guess' }
    expect(controlGate(peer, wrong, 0, policy)).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(controlGate(peer, wrong, 0, policy)).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(controlGate(peer, wrong, 0, policy)).toMatchObject({ code: 'E_RATE_LIMITED' })
    expect(controlGate(peer, wrong, 1000, policy)).toMatchObject({ code: 'E_UNAUTHORIZED' })
  })
})
