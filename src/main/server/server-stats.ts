import type { ErrorCode } from '../../shared/error-codes'

/** How a control message ended: applied (`ack`) or refused with an error code. */
export type ControlResult = 'ack' | ErrorCode

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
  /** WebSocket frames and SSE events written to clients, replays and replies included. */
  framesSent = 0
  /** Bytes written to clients: frames with their headers, SSE events as sent. */
  bytesSent = 0
  /** Clients cut off for not reading (4008 on WebSocket, a reset on SSE). */
  slowConsumersDropped = 0
  /** Control messages by result. */
  readonly controlByResult = new Map<ControlResult, number>()
  /** Samples held in the replay buffer now, and how many it can hold. */
  replayHeld = 0
  replayCapacity = 0

  connectionOpened(path: string): void {
    this.clientsByPath.set(path, (this.clientsByPath.get(path) ?? 0) + 1)
  }

  connectionClosed(path: string): void {
    const open = (this.clientsByPath.get(path) ?? 0) - 1
    if (open > 0) this.clientsByPath.set(path, open)
    else this.clientsByPath.delete(path)
  }

  controlEnded(result: ControlResult): void {
    this.controlByResult.set(result, (this.controlByResult.get(result) ?? 0) + 1)
  }
}
