import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

const ENTRY = resolve(import.meta.dirname, '../../out/main/headless.js')

/** A headless server child process, as `npm run serve` starts it. */
export interface HeadlessServer {
  port: number
  token: string
  /** The app's UI URL, with the token in the fragment as headless mode prints it. */
  uiUrl: string
  httpUrl: string
  stop(): Promise<void>
}

/**
 * Starts `out/main/headless.js` and waits for its banner. Pass `port` to restart on the same
 * port after a stop.
 */
export async function startHeadlessServer(
  args: string[] = [],
  port = 0,
  token = 'e2e-token-0123'
): Promise<HeadlessServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [ENTRY, '--port', String(port), '--token', token, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const boundPort = await new Promise<number>((resolvePort, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`headless server did not start:\n${output}`)),
      15_000
    )
    const check = (): void => {
      const match = /App UI in a browser:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)
      if (match) {
        clearTimeout(deadline)
        resolvePort(Number(match[1]))
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', () => reject(new Error(`headless server exited:\n${output}`)))
  })
  const httpUrl = `http://127.0.0.1:${boundPort}`
  return {
    port: boundPort,
    token,
    httpUrl,
    uiUrl: `${httpUrl}/#token=${token}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    }
  }
}
