import { ErrorCode } from '../error-codes'
import {
  PROTOCOL_VERSION,
  type RecordingState,
  type ScenarioProgress,
  type ServerMessage,
  type StateChange,
  type StreamSource,
  type StreamState
} from './messages'

/** Outcome of parsing one frame from the server: a message, or why it was refused. */
export type ServerParseResult = { ok: true; message: ServerMessage } | { ok: false; reason: string }

const STATE_CHANGES: ReadonlySet<string> = new Set<StateChange>([
  'p',
  'interval',
  'running',
  'seed',
  'scenario',
  'recording'
])

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
          bindHost: data.bindHost,
          ...(typeof data.faults === 'string' ? { faults: data.faults } : {})
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
  const { p, intervalMs, running, nextSeq, seed, source, scenario, recording } = value
  if (p !== null && (typeof p !== 'number' || !(p >= 0 && p <= 1))) return null
  if (typeof intervalMs !== 'number' || !(intervalMs > 0)) return null
  if (typeof running !== 'boolean' || !isSeq(nextSeq)) return null
  const state: StreamState = { p, intervalMs, running, nextSeq }
  // Fields later servers add are read when well-formed and left out otherwise.
  if (seed === null || isSeq(seed)) state.seed = seed
  const readSource = readStreamSource(source)
  if (readSource) state.source = readSource
  if (scenario === null) state.scenario = null
  else {
    const progress = readScenarioProgress(scenario)
    if (progress) state.scenario = progress
  }
  if (recording === null) state.recording = null
  else {
    const read = readRecording(recording)
    if (read) state.recording = read
  }
  return state
}

function readRecording(value: unknown): RecordingState | null {
  if (!isRecord(value)) return null
  const { file, format, fromSeq, failed } = value
  if (typeof file !== 'string' || (format !== 'ndjson' && format !== 'csv')) return null
  if (!isSeq(fromSeq) || typeof failed !== 'boolean') return null
  return { file, format, fromSeq, failed }
}

function readStreamSource(value: unknown): StreamSource | null {
  if (!isRecord(value)) return null
  if (value.kind === 'sampler') return { kind: 'sampler' }
  if (value.kind === 'follow' && typeof value.file === 'string')
    return { kind: 'follow', file: value.file }
  if (
    value.kind === 'replay' &&
    typeof value.file === 'string' &&
    typeof value.speed === 'number'
  ) {
    return { kind: 'replay', file: value.file, speed: value.speed }
  }
  return null
}

function readScenarioProgress(value: unknown): ScenarioProgress | null {
  if (!isRecord(value)) return null
  const { name, unit, steps, step, pass, loop, done } = value
  if (typeof name !== 'string' || (unit !== 'seconds' && unit !== 'samples')) return null
  if (!isCount(steps) || !isCount(step) || !isCount(pass)) return null
  if (typeof loop !== 'boolean' || typeof done !== 'boolean') return null
  return { name, unit, steps, step, pass, loop, done }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
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
