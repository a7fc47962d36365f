import { app } from 'electron'
import { join } from 'node:path'
import { createSettingsStore, type SettingsStore } from '../app/settings-store'

/** File name of the settings inside Electron's per-user data directory. */
export const SETTINGS_FILE_NAME = 'settings.json'

/**
 * The settings store of this user: `<userData>/settings.json` (e.g.
 * `~/.config/Bernoulli Stream/settings.json` on Linux). Valid once the app is ready.
 */
export function createUserSettingsStore(): SettingsStore {
  return createSettingsStore({ filePath: join(app.getPath('userData'), SETTINGS_FILE_NAME) })
}
