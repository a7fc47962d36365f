import { CodedError, ErrorCode } from './error-codes'

/**
 * A failed bridge call as the page sees it: plain data, not an `Error`. Electron's context
 * bridge copies only an `Error`'s message into the page (a `code` property would be lost), while
 * a plain object crosses intact.
 */
export interface IpcError {
  /** Stable code, e.g. `E_INVALID_P`; programs switch on it. */
  code: ErrorCode
  /** For people. */
  message: string
}

/**
 * What main answers on every invoke channel. Main never rejects an invoke: Electron would pass
 * only the message on, prefixed with its own text, and the page would have to parse it.
 */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: IpcError }

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode))

/**
 * Encodes what an IPC handler threw: a {@link CodedError} keeps its code, anything else (a bug)
 * becomes `E_INTERNAL` with its message.
 */
export function encodeIpcError(error: unknown): IpcError {
  if (error instanceof CodedError) return { code: error.code, message: error.message }
  if (isIpcError(error)) return { code: error.code, message: error.message }
  return {
    code: ErrorCode.Internal,
    message: error instanceof Error ? error.message : String(error)
  }
}

/**
 * Decodes main's answer: the value of a successful reply.
 * @throws {IpcError} the failure main reported, or `E_INVALID_IPC` when `reply` is not an
 *   {@link IpcReply} at all (a main and a preload from different builds).
 */
export function decodeIpcReply<T>(reply: unknown): T {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    if (reply.ok === true && 'value' in reply) return reply.value as T
    if (reply.ok === false && 'error' in reply && isIpcError(reply.error)) {
      throw { code: reply.error.code, message: reply.error.message } satisfies IpcError
    }
  }
  throw { code: ErrorCode.InvalidIpc, message: 'main sent a malformed reply' } satisfies IpcError
}

/** Whether `value` is an {@link IpcError}: what a bridge call rejects with. */
export function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    'message' in value &&
    typeof value.code === 'string' &&
    CODES.has(value.code) &&
    typeof value.message === 'string'
  )
}
