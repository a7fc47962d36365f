/** Where a resuming client asked to continue: after sequence number `afterSeq`, or live (null). */
export type ResumeRequest = { ok: true; afterSeq: number | null } | { ok: false; message: string }

/** Reads `?after=N&stream=ID`: a resume of another run replays the current run from its start. */
export function parseResume(url: URL, currentStreamId: string): ResumeRequest {
  const after = url.searchParams.get('after')
  if (after === null) return { ok: true, afterSeq: null }
  if (!/^\d{1,15}$/.test(after)) {
    return {
      ok: false,
      message:
        '"after" must be a whole number (the last sequence number received); streaming live instead'
    }
  }
  const stream = url.searchParams.get('stream')
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
