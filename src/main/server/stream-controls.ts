import type { StreamState } from '../../shared/protocol/messages'

/** What the server may ask of the stream behind it. Setters throw a `CodedError` on bad values. */
export interface StreamControls {
  /** The stream's state; `nextSeq` is the sequence number of the next sample it will draw. */
  state(): StreamState
  samplesDrawn(): number
  start(): void
  stop(): void
  set(change: { p?: number; intervalMs?: number }): void
  /** Step mode: draws `count` samples now, only while stopped (`E_RUNNING` otherwise). */
  draw(count: number): void
}
