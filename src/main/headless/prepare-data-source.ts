import { readFile, stat } from 'node:fs/promises'
import { describeScenarioProblem } from '../scenario/scenario'
import { loadScenarioFile } from '../scenario/scenario-file'
import { describeSampleFileProblem, readSampleFile } from '../sources/sample-file'
import type { StreamServiceOptions } from '../stream-service-types'
import type { DataSourceSettings } from './data-source-args'

/** What the files named on the command line become: service options, and notes to print. */
export type PreparedDataSource =
  { ok: true; options: StreamServiceOptions; notes: string[] } | { ok: false; message: string }

/**
 * Reads and checks every file the data-source flags name before anything starts, so a run that
 * cannot work is refused whole with the file, the line or step, and the reason.
 */
export async function prepareDataSource(settings: DataSourceSettings): Promise<PreparedDataSource> {
  const options: StreamServiceOptions = {}
  const notes: string[] = []
  if (settings.scenario !== undefined) {
    const checked = await loadScenarioFile(settings.scenario)
    if (!checked.ok) return { ok: false, message: describeScenarioProblem(checked.problem) }
    options.scenario = { text: await readFile(settings.scenario, 'utf8'), name: settings.scenario }
  }
  if (settings.replay !== undefined) {
    const checked = await readSampleFile(settings.replay, {
      badLines: settings.badLines,
      column: settings.column
    })
    if (!checked.ok) return { ok: false, message: describeSampleFileProblem(checked.problem) }
    const { file } = checked
    for (const bad of file.badLines)
      notes.push(`${settings.replay}:${bad.line}: ${bad.reason} (skipped)`)
    if (file.badLineCount > file.badLines.length) {
      notes.push(
        `${settings.replay}: ${file.badLineCount - file.badLines.length} more bad lines skipped`
      )
    }
    if (file.incompleteLastLine)
      notes.push(`${settings.replay}: its last line was cut short (a crash?) and is left out`)
    options.replay = { path: settings.replay, file, speed: settings.speed }
  }
  if (settings.follow !== undefined) {
    const problem = await fileProblem(settings.follow)
    if (problem) return { ok: false, message: `${settings.follow}: ${problem}` }
    options.follow = { path: settings.follow, badLines: settings.badLines }
  }
  if (settings.record !== undefined) {
    const exists = await stat(settings.record).then(
      () => true,
      () => false
    )
    if (exists) {
      return {
        ok: false,
        message: `${settings.record} already exists (recordings never overwrite: pick a new name or delete it)`
      }
    }
    options.record = settings.record
  }
  if (settings.faults) options.faults = settings.faults.request
  return { ok: true, options, notes }
}

async function fileProblem(path: string): Promise<string | null> {
  try {
    return (await stat(path)).isFile() ? null : 'not a file'
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'
  }
}
