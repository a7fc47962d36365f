import { join } from 'node:path'

/** Environment variable naming a settings folder to use instead (tests, a second profile). */
export const USER_DATA_ENV = 'BERNOULLI_STREAM_USER_DATA'

/** Inputs of {@link userDataOverride}. */
export interface UserDataInput {
  /** `app.isPackaged`. */
  isPackaged: boolean
  /** `app.getPath('appData')`, e.g. `~/.config` on Linux. */
  appData: string
  /** `app.getName()`: the `productName` of package.json, `Bernoulli Stream`. */
  appName: string
  /** The process environment. */
  env: Readonly<Record<string, string | undefined>>
}

/**
 * The user-data folder to set before the app is ready, or null to keep Electron's default
 * (`<appData>/Bernoulli Stream`, the installed app's). A development run (`npm run dev`,
 * `npm start`) gets `<appData>/Bernoulli Stream (dev)`: its own settings and so its own
 * single-instance lock, which lives in that folder; otherwise running dev while the installed
 * app is open would quit at once without a word.
 */
export function userDataOverride(input: UserDataInput): string | null {
  const explicit = input.env[USER_DATA_ENV]
  if (explicit !== undefined && explicit !== '') return explicit
  if (input.isPackaged) return null
  return join(input.appData, `${input.appName} (dev)`)
}
