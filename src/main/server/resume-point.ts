/** Where a resuming client asked to continue: after sequence number `afterSeq`, or live (null). */
export type ResumeRequest = { ok: true; afterSeq: number | null } | { ok: false; message: string }

/** What a client said about where it stopped, as its request carried it. */
export interface ResumeInput {
  /** `?after=N` on WebSocket; on SSE the `Last-Event-ID` header, else `?after=N`. */
  after: string | null
  /** `?stream=ID`: the run `after` belongs to. */
  stream: string | null
}

/**
 * The one reading of a resume point, for WebSocket and SSE alike. A resume of another run (the
 * server restarted) replays the current run from its start.
 */
export function parseResume(
  { after, stream }: ResumeInput,
  currentStreamId: string
): ResumeRequest {
  if (after === null) return { ok: true, afterSeq: null }
  if (!/^\d{1,15}$/.test(after.trim())) {
    return {
      ok: false,
      message:
        '"after" must be a whole number (the last sequence number received); streaming live instead'
    }
  }
  if (stream !== null && stream !== currentStreamId) return { ok: true, afterSeq: 0 }
  return { ok: true, afterSeq: Number(after) }
}

/**
 * A resume point past the newest sample can only come from an earlier run of the server (a
 * client that did not say which stream it had): replay the current run from its start.
 */
export function clampResume(afterSeq: number, nextSeq: number): number {
  return afterSeq >= nextSeq ? 0 : afterSeq
}
