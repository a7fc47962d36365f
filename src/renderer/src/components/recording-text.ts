import type { RecordingState } from '../../../shared/protocol/messages'

/** The file name of a path from the server's machine (POSIX or Windows separators). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() || path
}

/**
 * What the recording card says about `recording`, as a sentence.
 * @param canStop whether the page offers Stop recording (the desktop window).
 */
export function recordingText(recording: RecordingState, canStop: boolean): string {
  const name = fileNameOf(recording.file)
  if (recording.failed) {
    return `Recording to ${name} failed (the disk may be full); nothing more is written to it.${canStop ? ' Stop recording to close it.' : ''}`
  }
  return `Recording every sample from #${recording.fromSeq} on to ${name} (${recording.format.toUpperCase()}).`
}
