// The headless server as a child process: start (on port 0 or a given port), stop with SIGTERM,
// read /status and the kernel's memory and CPU figures for it.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

const BANNER = /JSON protocol v1:\s+ws:\/\/127\.0\.0\.1:(\d+)\/v1\/stream/
const STARTUP_TIMEOUT_MS = 15_000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export class ServerProcess {
  /** @type {import('node:child_process').ChildProcess | null} */
  #child = null
  #stopping = false
  /** @type {((exit: {code: number | null, signal: string | null}) => void) | null} */
  #onExit = null
  /** Port of the running (or last) server. */
  port = 0
  /** stderr lines printed by running servers (startup failures excluded), at most 200 kept. */
  stderrLines = []
  stderrLineCount = 0

  /**
   * @param {{ headlessPath: string, token: string, onCrash: (crash: object) => void }} options
   * `onCrash` is called when the server exits without having been asked to.
   */
  constructor({ headlessPath, token, onCrash }) {
    this.headlessPath = headlessPath
    this.token = token
    this.onCrash = onCrash
  }

  get pid() {
    return this.#child?.pid ?? null
  }

  get running() {
    return this.#child !== null
  }

  /**
   * Starts the server and resolves once its banner names the port. Retries while the port is
   * still taken (a restart on the same port right after the old process exited).
   */
  async start({ port, p, intervalMs, seed }) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#spawnOnce({ port, p, intervalMs, seed })
      } catch (error) {
        if (!error.portInUse || attempt >= 40) throw error
        await sleep(250)
      }
    }
  }

  #spawnOnce({ port, p, intervalMs, seed }) {
    const args = [
      this.headlessPath,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--token',
      this.token,
      '--p',
      String(p),
      '--interval',
      String(intervalMs),
      '--seed',
      String(seed)
    ]
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let ready = false
      let startupStderr = ''
      const timer = setTimeout(() => {
        if (ready) return
        child.kill('SIGKILL')
        reject(new Error(`the server printed no banner within ${STARTUP_TIMEOUT_MS} ms`))
      }, STARTUP_TIMEOUT_MS)
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (ready) return
        const match = BANNER.exec(line)
        if (!match) return
        ready = true
        clearTimeout(timer)
        this.#child = child
        this.port = Number(match[1])
        resolve({ port: this.port, pid: child.pid })
      })
      createInterface({ input: child.stderr }).on('line', (line) => {
        if (!ready) {
          startupStderr += line + '\n'
          return
        }
        this.stderrLineCount++
        if (this.stderrLines.length < 200) this.stderrLines.push(line)
      })
      child.on('error', (error) => {
        clearTimeout(timer)
        if (!ready) reject(error)
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        if (!ready) {
          const error = new Error(
            `the server exited before listening (code ${code}, signal ${signal}): ${startupStderr.trim()}`
          )
          error.portInUse = /already in use/i.test(startupStderr)
          reject(error)
          return
        }
        if (this.#child === child) this.#child = null
        const onExit = this.#onExit
        this.#onExit = null
        if (onExit) onExit({ code, signal })
        else if (!this.#stopping) {
          this.onCrash({
            code,
            signal,
            pid: child.pid,
            at: Date.now(),
            stderrTail: this.stderrLines.slice(-20)
          })
        }
      })
    })
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. Resolves to how it ended. */
  async stop(timeoutMs = 15_000) {
    const child = this.#child
    if (!child) return { code: null, signal: null, forced: false, ms: 0, wasRunning: false }
    this.#stopping = true
    const startedAt = Date.now()
    const exited = new Promise((resolve) => (this.#onExit = resolve))
    child.kill('SIGTERM')
    let forced = false
    const timer = setTimeout(() => {
      forced = true
      child.kill('SIGKILL')
    }, timeoutMs)
    const { code, signal } = await exited
    clearTimeout(timer)
    this.#stopping = false
    return { code, signal, forced, ms: Date.now() - startedAt, wasRunning: true }
  }

  /** For exit paths: kills the child at once, synchronously. */
  killNow() {
    if (this.#child) {
      this.#stopping = true
      try {
        this.#child.kill('SIGKILL')
      } catch {
        // already gone
      }
    }
  }

  /** GET /status (throws on failure). */
  async status() {
    const response = await fetch(`http://127.0.0.1:${this.port}/status`, {
      signal: AbortSignal.timeout(5000)
    })
    if (!response.ok) throw new Error(`/status answered ${response.status}`)
    return response.json()
  }

  /** VmHWM (peak resident set) and VmRSS of the server process in KiB, or null. */
  memory() {
    const pid = this.pid
    if (!pid) return null
    try {
      const text = readFileSync(`/proc/${pid}/status`, 'utf8')
      const hwm = /^VmHWM:\s+(\d+) kB/m.exec(text)
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(text)
      if (!hwm || !rss) return null
      return { hwmKb: Number(hwm[1]), rssKb: Number(rss[1]) }
    } catch {
      return null
    }
  }

  /** User + system CPU seconds used by the server process so far, or null. */
  cpuSeconds() {
    const pid = this.pid
    if (!pid) return null
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
      // Fields 14 and 15 of stat(5), counted from the state field (3): utime, stime in clock ticks.
      return (Number(fields[11]) + Number(fields[12])) / 100
    } catch {
      return null
    }
  }
}
