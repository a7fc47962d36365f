import { _electron, type ElectronApplication } from '@playwright/test'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** Repository root: the app directory of a development run (`electron .`). */
export const ROOT = resolve(import.meta.dirname, '..')

/**
 * What to launch, from scripts/test-desktop.mjs: the packaged app's executable
 * (BERNOULLI_APP_EXECUTABLE), or the development Electron with this repository as its app.
 */
export function target(): { executablePath: string; args: string[] } {
  const packaged = process.env.BERNOULLI_APP_EXECUTABLE
  if (packaged) return { executablePath: packaged, args: [] }
  const electron = process.env.BERNOULLI_ELECTRON_PATH
  if (!electron) throw new Error('run through `npm run test:desktop`, which finds Electron')
  return { executablePath: electron, args: [ROOT] }
}

/** A settings folder of its own for one test: a free port, so nothing clashes with 8888. */
export async function freshUserData(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bernoulli-desktop-'))
  await writeFile(join(dir, 'settings.json'), JSON.stringify({ port: 0, p: 0.72, intervalMs: 20 }))
  return dir
}

/** The environment every launch gets: our settings folder, and no dev server URL. */
export function launchEnv(userData: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'ELECTRON_RENDERER_URL' && key !== 'ELECTRON_RUN_AS_NODE')
      env[key] = value
  }
  return { ...env, BERNOULLI_STREAM_USER_DATA: userData }
}

export async function launchApp(userData: string): Promise<ElectronApplication> {
  const { executablePath, args } = target()
  return _electron.launch({ executablePath, args, env: launchEnv(userData), timeout: 60_000 })
}

/** Starts the same app again as a user would (a second click on the icon) and waits for it to end. */
export function launchSecondInstance(
  userData: string
): Promise<{ code: number | null; ms: number }> {
  const { executablePath, args } = target()
  const started = Date.now()
  return new Promise((done, fail) => {
    const child = spawn(executablePath, args, { env: launchEnv(userData), stdio: 'ignore' })
    child.on('error', fail)
    child.on('exit', (code) => done({ code, ms: Date.now() - started }))
  })
}

export async function removeUserData(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}
