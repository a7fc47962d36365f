import { describe } from '../../shared/sampler-settings'

/** Where a resuming client asked to continue: after sequence number `afterSeq`, or live (null). */
export type ResumeRequest = { ok: true; afterSeq: number | null } | { ok: false; message: string }

/** What a client said about where it stopped, as its request carried it. */
export interface ResumeInput {
  /**
   * The last sample it has: `N`, or `<streamId>:N` naming the run too (what SSE event ids carry).
   * `?after=` on WebSocket; on SSE the `Last-Event-ID` header, else `?after=`.
   */
  after: string | null
  /** `?stream=ID`: the run a bare `after` belongs to. */
  stream: string | null
}

/** A resume point, with or without its run: `1234` or `5f0c3a9e1b2d4c6e:1234`. */
const RESUME_POINT = /^(?:([\w-]{1,64}):)?(\d{1,15})$/

/**
 * The one reading of a resume point, for WebSocket and SSE alike. A resume of another run (the
 * server restarted since) replays the current run from its start; a run named inside `after`
 * wins over `stream`, since a browser's `Last-Event-ID` is newer than the URL it reconnects to.
 */
export function parseResume(
  { after, stream }: ResumeInput,
  currentStreamId: string
): ResumeRequest {
  if (after === null) return { ok: true, afterSeq: null }
  const match = RESUME_POINT.exec(after.trim())
  if (!match) {
    return {
      ok: false,
      message: `the resume point (${describe(after)}) must be the last sequence number received, or "<streamId>:<seq>" as in SSE event ids; streaming live instead`
    }
  }
  const run = match[1] ?? stream
  if (run !== null && run !== currentStreamId) return { ok: true, afterSeq: 0 }
  return { ok: true, afterSeq: Number(match[2]) }
}

/**
 * The first sequence number to replay for a resume after `afterSeq`. A point past the newest
 * sample can only come from an earlier run (a client that did not say which run it had): the
 * current run is replayed from its start.
 */
export function replayFrom(afterSeq: number, nextSeq: number): number {
  return (afterSeq >= nextSeq ? 0 : afterSeq) + 1
}

/** The SSE event id of the sample `seq` of run `streamId`: what `Last-Event-ID` sends back. */
export function eventId(streamId: string, seq: number): string {
  return `${streamId}:${seq}`
}
