import { ErrorCode } from '../../shared/error-codes'
import type { ClientMessage, RequestId } from '../../shared/protocol/messages'
import type { TokenBucket } from './token-bucket'

/** A JSON-protocol connection as the gate sees it. */
export interface ControlPeer {
  /** Whether its `Origin` (judged at the handshake) may steer the stream. */
  readonly originAllowed: boolean
  /** Its own allowance of control messages. */
  readonly controlBucket: TokenBucket
}

/** The server-wide facts the gate judges by. */
export interface ControlPolicy {
  /** The token control messages must carry; null lets any allowed origin steer. */
  readonly controlToken: string | null
  /** True once the server is shutting down. */
  readonly closing: boolean
}

/** The gate's answer: go ahead with the message, or the error reply it gets. */
export type GateVerdict =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; id: RequestId | null }

/**
 * Whether a parsed control message may act on the stream. Pure: everything it reads is passed
 * in, time included, so the rules are tested as a table. The order is fixed: size (enforced
 * before a message exists: the WebSocket layer closes a connection whose frame is over the JSON
 * limit with 1009), then shutdown, rate, origin, token.
 */
export function controlGate(
  peer: ControlPeer,
  message: ClientMessage,
  nowMs: number,
  policy: ControlPolicy
): GateVerdict {
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
  const { controlToken } = policy
  if (controlToken !== null && message.token !== controlToken) {
    return refuse(
      ErrorCode.Unauthorized,
      'control messages need the token this server printed at start',
      id
    )
  }
  return { ok: true, message }
}

function refuse(code: ErrorCode, message: string, id: RequestId | null): GateVerdict {
  return { ok: false, code, message, id }
}
