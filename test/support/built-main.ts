import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { ROOT } from './built-app'

/** The built Electron main bundle. */
export const MAIN_ENTRY = resolve(ROOT, 'out/main/index.js')
const REGISTER = resolve(ROOT, 'test/support/electron-stand-in/register.mjs')

interface StandInMessage {
  type: 'reply' | 'event'
  id?: number
  value?: unknown
  error?: string
  name?: string
  [key: string]: unknown
}

/**
 * out/main/index.js running under plain Node against the recording `electron` stand-in
 * (test/support/electron-stand-in). Commands go over the Node IPC channel; every wait is on an
 * event from the process, never on time.
 */
export class BuiltMain {
  readonly child: ChildProcess
  readonly events: StandInMessage[] = []
  stderr = ''
  readonly exited: Promise<number | null>
  #nextId = 1
  #replies = new Map<number, (message: StandInMessage) => void>()
  #eventWaiters: Array<() => void> = []

  /** @param args the app's command line, after the script (as `electron . <args>` gets them). */
  constructor(env: Record<string, string | undefined>, args: readonly string[] = []) {
    this.child = spawn(process.execPath, ['--import', REGISTER, MAIN_ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_RENDERER_URL: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc']
    })
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
    this.child.stdout!.resume()
    this.child.on('message', (message: StandInMessage) => {
      if (message.type === 'reply' && message.id !== undefined) {
        this.#replies.get(message.id)?.(message)
        this.#replies.delete(message.id)
      } else {
        this.events.push(message)
        for (const wake of this.#eventWaiters.splice(0)) wake()
      }
    })
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)))
  }

  /** Sends a command to the stand-in and resolves to its answer. */
  command<T = unknown>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++
    return new Promise((done, fail) => {
      this.#replies.set(id, (message) =>
        message.error ? fail(new Error(message.error)) : done(message.value as T)
      )
      this.child.send({ id, command, ...args })
    })
  }

  /** Resolves with the first event named `name` (already seen or still to come). */
  async event(name: string): Promise<StandInMessage> {
    let exited = false
    void this.exited.then(() => {
      exited = true
      for (const wake of this.#eventWaiters.splice(0)) wake()
    })
    for (;;) {
      const found = this.events.find((event) => event.name === name)
      if (found) return found
      if (exited) throw new Error(`exited before ${name}; stderr:\n${this.stderr}`)
      await new Promise<void>((wake) => this.#eventWaiters.push(wake))
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}
