import { ErrorCode } from '../error-codes'
import {
  PROTOCOL_VERSION,
  type ServerMessage,
  type StateChange,
  type StreamState
} from './messages'

/** Outcome of parsing one frame from the server: a message, or why it was refused. */
export type ServerParseResult = { ok: true; message: ServerMessage } | { ok: false; reason: string }

const STATE_CHANGES: ReadonlySet<string> = new Set<StateChange>(['p', 'interval', 'running'])

/**
 * Parses a text frame from the JSON stream, for clients (the renderer, tests, tools). Checks
 * every field it hands on, so a client never acts on a malformed or foreign message.
 */
export function parseServerMessage(text: string): ServerParseResult {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'not JSON' }
  }
  if (!isRecord(data)) return { ok: false, reason: 'not an object' }
  switch (data.type) {
    case 'hello': {
      if (data.protocol !== PROTOCOL_VERSION) {
        return { ok: false, reason: `protocol ${String(data.protocol)} is not ${PROTOCOL_VERSION}` }
      }
      const state = readState(data.state)
      if (
        !state ||
        typeof data.server !== 'string' ||
        typeof data.streamId !== 'string' ||
        typeof data.bindHost !== 'string' ||
        typeof data.controlRequiresToken !== 'boolean'
      ) {
        return { ok: false, reason: 'malformed hello' }
      }
      return {
        ok: true,
        message: {
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          server: data.server,
          streamId: data.streamId,
          state,
          controlRequiresToken: data.controlRequiresToken,
          bindHost: data.bindHost
        }
      }
    }
    case 'samples': {
      const { seq, values, times } = data
      if (
        !isSeq(seq) ||
        !Array.isArray(values) ||
        !Array.isArray(times) ||
        values.length === 0 ||
        values.length !== times.length ||
        !values.every((v) => v === 0 || v === 1) ||
        !times.every((t) => typeof t === 'number' && Number.isFinite(t))
      ) {
        return { ok: false, reason: 'malformed samples' }
      }
      return {
        ok: true,
        message: { type: 'samples', seq, values: values as Array<0 | 1>, times: times as number[] }
      }
    }
    case 'state': {
      const state = readState(data.state)
      if (!state || typeof data.change !== 'string' || !STATE_CHANGES.has(data.change)) {
        return { ok: false, reason: 'malformed state' }
      }
      return { ok: true, message: { type: 'state', change: data.change as StateChange, state } }
    }
    case 'gap': {
      if (!isSeq(data.from) || !isSeq(data.to) || data.to < data.from)
        return { ok: false, reason: 'malformed gap' }
      return { ok: true, message: { type: 'gap', from: data.from, to: data.to } }
    }
    case 'ack': {
      const state = readState(data.state)
      if (!state) return { ok: false, reason: 'malformed ack' }
      return { ok: true, message: { type: 'ack', id: readId(data.id), state } }
    }
    case 'error': {
      const codes: readonly string[] = Object.values(ErrorCode)
      if (
        typeof data.code !== 'string' ||
        !codes.includes(data.code) ||
        typeof data.message !== 'string'
      ) {
        return { ok: false, reason: 'malformed error' }
      }
      return {
        ok: true,
        message: {
          type: 'error',
          code: data.code as ErrorCode,
          message: data.message,
          id: readId(data.id)
        }
      }
    }
    default:
      return { ok: false, reason: `unknown type ${JSON.stringify(String(data.type)).slice(0, 40)}` }
  }
}

function readState(value: unknown): StreamState | null {
  if (!isRecord(value)) return null
  const { p, intervalMs, running, nextSeq } = value
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) return null
  if (typeof intervalMs !== 'number' || !(intervalMs > 0)) return null
  if (typeof running !== 'boolean' || !isSeq(nextSeq)) return null
  return { p, intervalMs, running, nextSeq }
}

function readId(value: unknown): string | number | null {
  return typeof value === 'string' || typeof value === 'number' ? value : null
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
