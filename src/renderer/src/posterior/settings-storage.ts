/**
 * The user's choices that outlive the page (local storage): the prior, the tracking memory and
 * the chart views. Reads are validated and fall back to defaults, so a hand-edited or corrupted
 * value never breaks the page; writes never throw (quota, disabled storage).
 */
import { MAX_PRIOR_SHAPE, type BetaShape } from '../../../shared/posterior/beta-posterior'
import {
  checkForgetting,
  checkWindowSize,
  MEMORY_KINDS,
  type MemoryKind
} from '../../../shared/posterior/posterior-memory'

/** The part of `Storage` used; `localStorage` in the app, a Map-backed fake in tests. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>

/** Reads the JSON object stored under `key`; null when absent, unreadable or not an object. */
export function readStored(
  storage: KeyValueStorage | null,
  key: string
): Record<string, unknown> | null {
  try {
    const raw = storage?.getItem(key) ?? null
    if (raw === null) return null
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null // storage disabled (private mode, sandboxed frame) or not JSON
  }
}

/** Stores `value` as JSON under `key`; failures are ignored on purpose (a convenience only). */
export function writeStored(storage: KeyValueStorage | null, key: string, value: object): void {
  try {
    storage?.setItem(key, JSON.stringify(value))
  } catch {
    // What is in use is unaffected.
  }
}

const PRIOR_KEY = 'bernoulli-stream.prior.v1'
const MEMORY_KEY = 'bernoulli-stream.memory.v1'

/** The prior saved by an earlier session, or null. */
export function loadPrior(storage: KeyValueStorage | null): BetaShape | null {
  const value = readStored(storage, PRIOR_KEY)
  if (!value) return null
  const { alpha, beta } = value
  const valid = (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_PRIOR_SHAPE
  return valid(alpha) && valid(beta) ? { alpha, beta } : null
}

/** Saves the prior for the next session. */
export function savePrior(storage: KeyValueStorage | null, prior: BetaShape): void {
  writeStored(storage, PRIOR_KEY, { alpha: prior.alpha, beta: prior.beta })
}

/** The tracking memory chosen in an earlier session; each field only when valid. */
export interface StoredMemory {
  memory?: MemoryKind
  windowSize?: number
  forgetting?: number
}

export function loadMemory(storage: KeyValueStorage | null): StoredMemory {
  const value = readStored(storage, MEMORY_KEY)
  if (!value) return {}
  const out: StoredMemory = {}
  if (MEMORY_KINDS.includes(value.memory as MemoryKind)) out.memory = value.memory as MemoryKind
  const size = checkWindowSize(value.windowSize)
  if (size.ok) out.windowSize = size.value
  const lambda = checkForgetting(value.forgetting)
  if (lambda.ok) out.forgetting = lambda.value
  return out
}

export function saveMemory(storage: KeyValueStorage | null, memory: Required<StoredMemory>): void {
  writeStored(storage, MEMORY_KEY, memory)
}
