import { createHash, timingSafeEqual } from 'node:crypto'
import { ErrorCode } from '../../shared/error-codes'
import type { ClientMessage, RequestId } from '../../shared/protocol/messages'
import type { FailedControlLimiter } from './failed-control-limiter'
import type { TokenBucket } from './token-bucket'

/** A JSON-protocol connection as the gate sees it. */
export interface ControlPeer {
  /** Whether its `Origin` (judged at the handshake) may steer the stream. */
  readonly originAllowed: boolean
  /** Its own allowance of control messages. */
  readonly controlBucket: TokenBucket
  /** The peer's IP address: failed attempts are counted against it across connections. */
  readonly remoteAddress: string
  /**
   * True once this connection presented the right token: it keeps steering while others from
   * its address are made to wait, so a guesser cannot lock out a page that already steers.
   */
  provedToken: boolean
}

/** The server-wide facts the gate judges by. */
export interface ControlPolicy {
  /** The token control messages must carry; null lets any allowed origin steer. */
  readonly controlToken: string | null
  /** True once the server is shutting down. */
  readonly closing: boolean
  /** Failed attempts across connections, per address and overall. */
  readonly failures: FailedControlLimiter
}

/** What the gate reads of a request to steer: a control message, or a scenario upload. */
export interface GatedRequest {
  readonly id: RequestId | null
  readonly token: string | null
}

/** The gate's answer: go ahead with the message, or the error reply it gets. */
export type GateVerdict<M extends GatedRequest = ClientMessage> =
  { ok: true; message: M } | { ok: false; code: ErrorCode; message: string; id: RequestId | null }

/**
 * Whether a parsed control message may act on the stream. Everything it reads is passed in,
 * time included, so the rules are tested as a table; it only spends the allowances it is given
 * and marks a peer that proved the token. The order is fixed: size (enforced before a message
 * exists: the WebSocket layer closes a connection whose frame is over the JSON limit with
 * 1009), then shutdown, rate, origin, token. A token is compared only while the address (and
 * everyone) still has failed attempts left, and in constant time.
 */
export function controlGate<M extends GatedRequest = ClientMessage>(
  peer: ControlPeer,
  message: M,
  nowMs: number,
  policy: ControlPolicy
): GateVerdict<M> {
  const { id } = message
  if (policy.closing) return refuse(ErrorCode.ServerClosed, 'the server is shutting down', id)
  if (!peer.controlBucket.tryTake(nowMs)) {
    return refuse(ErrorCode.RateLimited, 'too many control messages; slow down', id)
  }
  if (!peer.originAllowed) {
    return refuse(
      ErrorCode.ForbiddenOrigin,
      'this page’s origin may read the stream but not steer it',
      id
    )
  }
  const { controlToken, failures } = policy
  if (controlToken === null) return { ok: true, message }
  if (!peer.provedToken && !failures.mayTry(peer.remoteAddress, nowMs)) {
    return refuse(
      ErrorCode.RateLimited,
      'too many failed control attempts from this address; wait a few seconds',
      id
    )
  }
  if (!tokensEqual(message.token, controlToken)) {
    failures.failed(peer.remoteAddress, nowMs)
    return refuse(
      ErrorCode.Unauthorized,
      'control messages need the token this server printed at start',
      id
    )
  }
  peer.provedToken = true
  return { ok: true, message }
}

/** Compares in time independent of where the two differ (digests make the lengths equal too). */
function tokensEqual(given: string | null, expected: string): boolean {
  if (given === null) return false
  const digest = (token: string) => createHash('sha256').update(token).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

function refuse(
  code: ErrorCode,
  message: string,
  id: RequestId | null
): { ok: false; code: ErrorCode; message: string; id: RequestId | null } {
  return { ok: false, code, message, id }
}
