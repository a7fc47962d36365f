import { ErrorCode } from '../error-codes'
import { checkDrawCount, checkIntervalMs, checkP, checkSeed, describe } from '../sampler-settings'
import { CLIENT_MESSAGE_TYPES, type ClientMessage, type RequestId } from './messages'

/** Outcome of parsing one inbound frame: a message, or the error reply it deserves. */
export type ClientParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; id: RequestId | null }

const CONTROL_TYPES: ReadonlySet<string> = new Set(CLIENT_MESSAGE_TYPES)
const MAX_ID_LENGTH = 128
const MAX_TOKEN_LENGTH = 256

/**
 * Parses a text frame from a JSON-protocol client. Never throws: every bad input gets a result
 * with a stable code, so the server can reply and carry on.
 */
export function parseClientMessage(text: string): ClientParseResult {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return fail(ErrorCode.BadJson, 'message is not valid JSON', null)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(
      ErrorCode.UnknownType,
      `expected a JSON object with a "type", got ${describe(data)}`,
      null
    )
  }
  const record = data as Record<string, unknown>
  const idResult = readId(record)
  if (!idResult.ok) return idResult
  const id = idResult.id
  const type = own(record, 'type')
  if (typeof type !== 'string' || !CONTROL_TYPES.has(type)) {
    return fail(
      ErrorCode.UnknownType,
      `unknown message type ${describe(type)}; expected one of: ${CLIENT_MESSAGE_TYPES.join(', ')}`,
      id
    )
  }
  const token = own(record, 'token')
  if (token !== undefined && (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)) {
    return fail(ErrorCode.BadMessage, 'token must be a string', id)
  }
  const tokenValue = typeof token === 'string' ? token : null
  if (type === 'start' || type === 'stop' || type === 'auth')
    return { ok: true, message: { type, id, token: tokenValue } }
  if (type === 'draw') {
    const count = checkDrawCount(own(record, 'count'))
    if (!count.ok) return fail(count.code, count.message, id)
    return { ok: true, message: { type, id, token: tokenValue, count: count.value } }
  }
  if (type === 'reseed') {
    const seed = own(record, 'seed')
    if (seed === undefined) return { ok: true, message: { type, id, token: tokenValue } }
    const checked = checkSeed(seed)
    if (!checked.ok) return fail(checked.code, checked.message, id)
    return { ok: true, message: { type, id, token: tokenValue, seed: checked.value } }
  }

  const p = own(record, 'p')
  const intervalMs = own(record, 'intervalMs')
  if (p === undefined && intervalMs === undefined) {
    return fail(ErrorCode.BadMessage, '"set" needs "p", "intervalMs", or both', id)
  }
  const message: ClientMessage = { type: 'set', id, token: tokenValue }
  if (p !== undefined) {
    const checked = checkP(p)
    if (!checked.ok) return fail(checked.code, checked.message, id)
    message.p = checked.value
  }
  if (intervalMs !== undefined) {
    const checked = checkIntervalMs(intervalMs)
    if (!checked.ok) return fail(checked.code, checked.message, id)
    message.intervalMs = checked.value
  }
  return { ok: true, message }
}

function readId(
  record: Record<string, unknown>
): { ok: true; id: RequestId | null } | { ok: false; code: ErrorCode; message: string; id: null } {
  const id = own(record, 'id')
  if (id === undefined || id === null) return { ok: true, id: null }
  if (
    (typeof id === 'number' && Number.isFinite(id)) ||
    (typeof id === 'string' && id.length <= MAX_ID_LENGTH)
  ) {
    return { ok: true, id }
  }
  return {
    ok: false,
    code: ErrorCode.BadMessage,
    message: `id must be a finite number or a string of at most ${MAX_ID_LENGTH} characters`,
    id: null
  }
}

// Own properties only: a "__proto__" or "constructor" key in peer JSON must never reach us via the prototype.
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined
}

function fail(code: ErrorCode, message: string, id: RequestId | null): ClientParseResult {
  return { ok: false, code, message, id }
}
