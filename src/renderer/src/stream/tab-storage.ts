/**
 * What survives a reload of this tab, and only of this tab (session storage: never local
 * storage, never the URL): the control token, and where the user last restarted counting.
 * Unreadable or hand-edited values are ignored rather than breaking the page.
 */

/** The part of `Storage` used; `sessionStorage` in the page, a Map-backed fake in tests. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** Longest token kept, in characters (the server refuses longer ones anyway). */
export const MAX_TOKEN_LENGTH = 256

const TOKEN_KEY = 'bernoulli-stream.token.v1'
const COUNT_START_KEY = 'bernoulli-stream.count-start.v1'

/** Where counting starts: after sequence number `afterSeq` of server run `streamId`. */
export interface CountStart {
  streamId: string
  afterSeq: number
}

/** True for a string that can be a control token: 1..256 visible ASCII characters. */
export function isPlausibleToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,256}$/.test(value)
}

/** Session-scoped storage of the token and the count start. Every method is failure-proof. */
export class TabStorage {
  constructor(private readonly storage: KeyValueStorage | null) {}

  /** The token saved in this tab, or null. */
  loadToken(): string | null {
    const value = this.#get(TOKEN_KEY)
    return isPlausibleToken(value) ? value : null
  }

  /** Saves (or with null, forgets) the token for reloads of this tab. */
  saveToken(token: string | null): void {
    if (token === null) this.#remove(TOKEN_KEY)
    else this.#set(TOKEN_KEY, token)
  }

  /** Where the user last restarted counting in this tab, or null. */
  loadCountStart(): CountStart | null {
    const raw = this.#get(COUNT_START_KEY)
    if (raw === null) return null
    try {
      const value: unknown = JSON.parse(raw)
      if (typeof value !== 'object' || value === null) return null
      const { streamId, afterSeq } = value as Record<string, unknown>
      if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 128)
        return null
      if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0)
        return null
      return { streamId, afterSeq }
    } catch {
      return null
    }
  }

  /** Saves (or with null, forgets) the count start. */
  saveCountStart(start: CountStart | null): void {
    if (start === null) this.#remove(COUNT_START_KEY)
    else this.#set(COUNT_START_KEY, JSON.stringify(start))
  }

  #get(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null
    } catch {
      return null // storage disabled (private mode, sandboxed frame)
    }
  }

  #set(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value)
    } catch {
      // A convenience for reloads; the page works without it.
    }
  }

  #remove(key: string): void {
    try {
      this.storage?.removeItem(key)
    } catch {
      // As above.
    }
  }
}
