import { dialog, type BrowserWindow } from 'electron'
import { choiceForButton, portConflictPrompt, type PortConflictChoice } from '../app/port-conflict'
import type { RecordingDialogOptions } from '../app/recording-dialog'

/**
 * Asks the user what to do about a taken port (see `portConflictPrompt`). Shown before any
 * window exists, so the dialog is app-modal rather than attached to a window.
 * @param port the port that was taken.
 */
export async function askPortConflict(port: number): Promise<PortConflictChoice> {
  const prompt = portConflictPrompt(port)
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title: prompt.title,
    message: prompt.message,
    detail: prompt.detail,
    buttons: prompt.buttons,
    defaultId: prompt.defaultId,
    cancelId: prompt.cancelId,
    noLink: true
  })
  return choiceForButton(prompt, response)
}

/** Tells the user why the app cannot start; synchronous so it is seen before the app quits. */
export function showStartupError(message: string): void {
  dialog.showErrorBox('Bernoulli Stream cannot start', message)
}

/**
 * Asks where to record, attached to `parent` when there is one (see `recordingDialogOptions`).
 * @returns the chosen path, or null when the user cancelled.
 */
export async function askRecordingPath(
  parent: BrowserWindow | undefined,
  options: RecordingDialogOptions
): Promise<string | null> {
  const { canceled, filePath } = parent
    ? await dialog.showSaveDialog(parent, options)
    : await dialog.showSaveDialog(options)
  return canceled || !filePath ? null : filePath
}

/** Tells a second launch that its options were not applied; synchronous, before it exits. */
export function showAlreadyRunning(message: string): void {
  dialog.showErrorBox('Bernoulli Stream is already running', message)
}
