import type { ErrorCode } from '../../shared/error-codes'
import { noFaults, type FaultCounts, type FaultKind } from '../faults/fault-plan'

/** How a control message ended: applied (`ack`) or refused with an error code. */
export type ControlResult = 'ack' | ErrorCode

/** The three ways a client reads the stream. */
export type Dialect = 'reference' | 'json' | 'sse'

/** What was written to the clients of one dialect. */
export interface SentCounters {
  /** WebSocket frames or SSE events, replays and replies included. */
  frames: number
  /** Bytes as written (frame headers included). */
  bytes: number
}

/**
 * Every counter the server keeps, in one place: `/status` reads it, and so can a metrics
 * exporter. Plain fields, bumped on the hot path without allocation. Counts since the server
 * was created.
 */
export class ServerStats {
  /** Open connections by request path (`/websocket/`, `/`, `/v1/stream`, `/v1/events`, …). */
  readonly clientsByPath = new Map<string, number>()
  /** Samples the server was handed to send (drawn by the source). */
  samplesPublished = 0
  /** What was written to clients, by dialect (each outlet bumps its own dialect's counters). */
  readonly sent: Readonly<Record<Dialect, SentCounters>> = {
    reference: { frames: 0, bytes: 0 },
    json: { frames: 0, bytes: 0 },
    sse: { frames: 0, bytes: 0 }
  }
  /** Clients cut off for not reading (4008 on WebSocket, a reset on SSE). */
  slowConsumersDropped = 0
  /** Control messages by result. */
  readonly controlByResult = new Map<ControlResult, number>()
  /** Samples held in the replay buffer now, and how many it can hold. */
  replayHeld = 0
  replayCapacity = 0
  /** Faults applied to connections that asked for them, by kind. */
  readonly faultsApplied: FaultCounts = noFaults()

  faultApplied(kind: FaultKind, count: number): void {
    this.faultsApplied[kind] += count
  }

  connectionOpened(path: string): void {
    this.clientsByPath.set(path, (this.clientsByPath.get(path) ?? 0) + 1)
  }

  connectionClosed(path: string): void {
    const open = (this.clientsByPath.get(path) ?? 0) - 1
    if (open > 0) this.clientsByPath.set(path, open)
    else this.clientsByPath.delete(path)
  }

  /** WebSocket frames and SSE events written to clients, over all dialects. */
  get framesSent(): number {
    const { reference, json, sse } = this.sent
    return reference.frames + json.frames + sse.frames
  }

  /** Bytes written to clients, over all dialects. */
  get bytesSent(): number {
    const { reference, json, sse } = this.sent
    return reference.bytes + json.bytes + sse.bytes
  }

  controlEnded(result: ControlResult): void {
    this.controlByResult.set(result, (this.controlByResult.get(result) ?? 0) + 1)
  }
}
