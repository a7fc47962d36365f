// Starting and stopping the servers under test: ours (the headless entry) and the Tornado
// reference. Every child is tracked so that any exit path (end, error, SIGINT) can kill it.
import { spawn } from 'node:child_process'
import net from 'node:net'
import { resolve } from 'node:path'
import { commOf } from './proc-stats.mjs'

const live = new Set()

/** Kills every server still running, synchronously (safe in an 'exit' handler). */
export function killAllServers(signal = 'SIGKILL') {
  for (const child of live) {
    try {
      child.kill(signal)
    } catch {
      // already gone
    }
  }
}

/** A free TCP port on 127.0.0.1 (bound then released; a fresh one per run). */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = net.createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => done(port))
    })
  })
}

function canConnect(port) {
  return new Promise((done) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      done(true)
    })
    socket.once('error', () => done(false))
  })
}

/**
 * Starts a server and waits until its port accepts connections.
 * @param {object} o
 * @param {'ours'|'ref'} o.kind
 * @param {string} o.root repository root
 * @param {number} o.port
 * @param {number} o.intervalMs ours: --interval; ref: period in ms, 0 = back-to-back
 * @param {string|null} o.cpu core to pin to with taskset, or null
 * @param {string[]} [o.nodeFlags] extra flags for node (ours), e.g. --cpu-prof
 */
export async function startServer({ kind, root, port, intervalMs, cpu, nodeFlags = [] }) {
  const command =
    kind === 'ours'
      ? [
          process.execPath,
          ...nodeFlags,
          resolve(root, 'out/main/headless.js'),
          '--port',
          String(port),
          '--interval',
          String(intervalMs),
          '--no-token'
        ]
      : [
          '/usr/bin/python3',
          resolve(root, 'bench/reference/tornado_server.py'),
          String(port),
          String(intervalMs)
        ]
  const argv = cpu === null ? command : ['taskset', '-c', cpu, ...command]
  // stdout goes to /dev/null: the reference prints a line per broadcast, and that is part of its cost.
  const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
  live.add(child)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  let exited = null
  const exitedPromise = new Promise((done) =>
    child.once('exit', (code, signal) => {
      live.delete(child)
      exited = { code, signal }
      done(exited)
    })
  )
  child.once('error', () => undefined)
  const server = {
    kind,
    port,
    child,
    pid: child.pid,
    exited: () => exited,
    stderrTail: () => stderr.trim().split('\n').slice(-1)[0] ?? '',
    /** Stops the server: SIGKILL at once, or a signal and up to graceMs before SIGKILL. */
    async stop({ signal = 'SIGKILL', graceMs = 0 } = {}) {
      if (exited) return exited
      child.kill(signal)
      if (signal !== 'SIGKILL') {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
        const result = await exitedPromise
        clearTimeout(timer)
        return result
      }
      return exitedPromise
    }
  }
  const deadline = performance.now() + 15_000
  while (performance.now() < deadline) {
    if (exited)
      throw new Error(
        `${kind} server exited (${exited.code ?? exited.signal}) at start: ${server.stderrTail() || 'no message'}`
      )
    if (await canConnect(port)) {
      const comm = commOf(child.pid)
      if (comm === 'taskset') await new Promise((done) => setTimeout(done, 50))
      return server
    }
    await new Promise((done) => setTimeout(done, 50))
  }
  await server.stop()
  throw new Error(`${kind} server did not accept connections on port ${port} within 15 s`)
}
