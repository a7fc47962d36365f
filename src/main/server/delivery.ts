import type { SentCounters, ServerStats } from './server-stats'

/** Messages a server pushes unasked, by their SSE event names. */
export type PushedEvent = 'samples' | 'state' | 'gap'

/**
 * Frames one JSON-protocol message for a transport: a WebSocket text frame, or an SSE event
 * (`lastSeq`, the last sample a `samples` message carries, becomes its event id).
 */
export type Framer = (event: PushedEvent, json: string, lastSeq?: number) => Buffer

/** One client connection, of any transport, as {@link Delivery} sees it. */
export interface Outlet {
  /** The request path it connected to, e.g. `/websocket/` or `/v1/events`. */
  readonly path: string
  /** The query of its request URL: where per-connection options (faults, …) are read from. */
  readonly query: URLSearchParams
  /** The peer's IP address as the socket reports it. */
  readonly remoteAddress: string
  /** Its dialect's counters in the server's stats (shared by every client of that dialect). */
  readonly sent: SentCounters
  /** False once it is closing or closed: nothing more is written to it. */
  isOpen(): boolean
  /** Bytes written and not yet taken by the peer. */
  bufferedBytes(): number
  /** Writes bytes that are already framed for this transport. */
  write(chunk: Buffer): void
  /** Cuts off a peer that stopped reading: 4008 on WebSocket, a reset on SSE. */
  dropSlow(): void
}

/**
 * The one place every byte to a client passes, broadcasts, replays and replies alike: it applies
 * the slow-consumer rule and counts what goes out. A per-connection filter (drop, duplicate,
 * delay, stall, disconnect, chosen from `outlet.query`) belongs here too, so that no transport
 * needs its own. Callers frame a broadcast once and pass the same buffer for every client, so the
 * no-filter path allocates nothing per client.
 */
export class Delivery {
  readonly #stats: ServerStats
  readonly #maxBufferedBytes: number

  /** @param maxBufferedBytes unsent bytes past which a client is dropped as a slow consumer. */
  constructor(stats: ServerStats, maxBufferedBytes: number) {
    this.#stats = stats
    this.#maxBufferedBytes = maxBufferedBytes
  }

  /**
   * Writes `chunk` (holding `frames` frames or events) to `outlet`, unless it is closed or more
   * than the limit is already waiting for it; in that case it is dropped. Returns whether it
   * was written.
   */
  send(outlet: Outlet, chunk: Buffer, frames: number): boolean {
    // The hot path of every broadcast: kept to two checks, no call for faults.
    if (!outlet.isOpen()) return false
    if (outlet.bufferedBytes() > this.#maxBufferedBytes) return this.#dropSlow(outlet)
    outlet.write(chunk)
    outlet.sent.frames += frames
    outlet.sent.bytes += chunk.length
    return true
  }

  /**
   * Whether more may be queued for `outlet`: it is open and no more than the limit waits for it,
   * counting `heldBytes` that its faults hold back besides its socket's buffer. Past the limit it
   * is dropped as a slow consumer and this returns false.
   */
  admit(outlet: Outlet, heldBytes: number): boolean {
    if (!outlet.isOpen()) return false
    if (outlet.bufferedBytes() + heldBytes > this.#maxBufferedBytes) return this.#dropSlow(outlet)
    return true
  }

  #dropSlow(outlet: Outlet): false {
    this.#stats.slowConsumersDropped++
    outlet.dropSlow()
    return false
  }
}
