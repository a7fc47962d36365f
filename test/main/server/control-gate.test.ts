import { describe, expect, it } from 'vitest'
import type { ClientMessage } from '../../../src/shared/protocol/messages'
import { controlGate, type ControlPeer } from '../../../src/main/server/control-gate'
import { FailedControlLimiter } from '../../../src/main/server/failed-control-limiter'
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
  /** Failed attempts from this connection's address still allowed now. */
  failuresLeft?: number
  /** Whether this connection presented the right token before. */
  provedToken?: boolean
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
    what: 'the right token when the address has no failures left',
    failuresLeft: 0,
    expected: 'E_RATE_LIMITED'
  },
  {
    what: 'the right token, no failures left, on a connection that proved it before',
    failuresLeft: 0,
    provedToken: true,
    expected: 'allow'
  },
  {
    what: 'no failures left but no token needed',
    failuresLeft: 0,
    serverToken: null,
    token: null,
    expected: 'allow'
  },
  {
    what: 'no failures left, foreign origin: origin first',
    failuresLeft: 0,
    originAllowed: false,
    expected: 'E_FORBIDDEN_ORIGIN'
  },
  {
    what: 'shutting down, no allowance: shutdown first',
    closing: true,
    allowance: 0,
    expected: 'E_SERVER_CLOSED'
  }
]

const ADDRESS = '127.0.0.1'

function peerWith(originAllowed: boolean, allowance: number, provedToken = false): ControlPeer {
  const controlBucket = new TokenBucket(1, 5, 0)
  for (let i = 5; i > allowance; i--) controlBucket.tryTake(0)
  return { originAllowed, controlBucket, remoteAddress: ADDRESS, provedToken }
}

function limiterWith(failuresLeft: number): FailedControlLimiter {
  const limiter = new FailedControlLimiter({
    perAddressRatePerS: 1,
    perAddressBurst: 3,
    overallRatePerS: 10,
    overallBurst: 100
  })
  for (let i = 3; i > failuresLeft; i--) limiter.failed(ADDRESS, 0)
  return limiter
}

describe('controlGate: shutdown → rate → origin → token', () => {
  it.each(rows)('$what → $expected', (row) => {
    const message: ClientMessage = { type: 'stop', id: 7, token: row.token ?? null }
    if (row.token === undefined) message.token = TOKEN
    const verdict = controlGate(
      peerWith(row.originAllowed ?? true, row.allowance ?? 5, row.provedToken),
      message,
      0,
      {
        controlToken: row.serverToken === undefined ? TOKEN : row.serverToken,
        closing: row.closing ?? false,
        failures: limiterWith(row.failuresLeft ?? 3)
      }
    )
    if (row.expected === 'allow') expect(verdict).toEqual({ ok: true, message })
    else expect(verdict).toMatchObject({ ok: false, code: row.expected, id: 7 })
  })

  it('spends the allowance on refused messages too, and refills with time', () => {
    const peer = peerWith(true, 2)
    const policy = { controlToken: TOKEN, closing: false, failures: limiterWith(3) }
    const wrong: ClientMessage = { type: 'start', id: null, token: 'guess' }
    expect(controlGate(peer, wrong, 0, policy)).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(controlGate(peer, wrong, 0, policy)).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(controlGate(peer, wrong, 0, policy)).toMatchObject({ code: 'E_RATE_LIMITED' })
    expect(controlGate(peer, wrong, 1000, policy)).toMatchObject({ code: 'E_UNAUTHORIZED' })
  })
})

describe('controlGate: failed attempts', () => {
  it('counts a wrong token against the address, a right one not, and marks the peer as proven', () => {
    const failures = limiterWith(2)
    const peer = peerWith(true, 5)
    const policy = { controlToken: TOKEN, closing: false, failures }
    const send = (token: string) => controlGate(peer, { type: 'stop', id: null, token }, 0, policy)
    expect(send(TOKEN)).toMatchObject({ ok: true })
    expect(peer.provedToken).toBe(true)
    expect(failures.mayTry(ADDRESS, 0)).toBe(true)
    expect(send('guess')).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(send('guess')).toMatchObject({ code: 'E_UNAUTHORIZED' })
    expect(failures.mayTry(ADDRESS, 0)).toBe(false)
    // Another connection from the same address may not even try now.
    const other = peerWith(true, 5)
    expect(controlGate(other, { type: 'stop', id: 1, token: TOKEN }, 0, policy)).toMatchObject({
      code: 'E_RATE_LIMITED',
      id: 1
    })
    expect(controlGate(other, { type: 'stop', id: 2, token: TOKEN }, 1000, policy)).toMatchObject({
      ok: true
    })
  })
})
