import { join } from 'node:path'

/** What main passes to Electron's save dialog for Record to file… (a `SaveDialogOptions`). */
export interface RecordingDialogOptions {
  title: string
  buttonLabel: string
  defaultPath: string
  filters: Array<{ name: string; extensions: string[] }>
  properties: Array<'createDirectory' | 'showOverwriteConfirmation'>
}

/**
 * The save dialog of Record to file…: a fresh name in `directory` (so the usual case never
 * replaces anything), NDJSON first, CSV by the `.csv` extension (the recorder picks the format
 * from the name). Linux asks before replacing a file only when told (`showOverwriteConfirmation`);
 * macOS and Windows always ask, so a file that exists was confirmed by the user.
 * @param directory where the dialog opens: the last folder recorded to, or Documents.
 * @param now the local time the name is made from.
 * @param seed the stream's seed, named in the file name when there is one.
 */
export function recordingDialogOptions(
  directory: string,
  now: Date,
  seed: number | null
): RecordingDialogOptions {
  return {
    title: 'Record to file',
    buttonLabel: 'Record',
    defaultPath: join(directory, recordingFileName(now, seed)),
    filters: [
      { name: 'NDJSON (one JSON object per line)', extensions: ['ndjson'] },
      { name: 'CSV', extensions: ['csv'] }
    ],
    properties: ['createDirectory', 'showOverwriteConfirmation']
  }
}

/** `bernoulli-2026-12-02-001530-seed-42.ndjson`: sortable, and names the seed. */
export function recordingFileName(now: Date, seed: number | null): string {
  const two = (n: number): string => String(n).padStart(2, '0')
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`
  const time = `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`
  return `bernoulli-${date}-${time}${seed === null ? '' : `-seed-${seed}`}.ndjson`
}
