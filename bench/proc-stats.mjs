// What /proc says about a server process: CPU time (all threads) and peak resident memory.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

let clockTicks = 0

function ticksPerSecond() {
  if (clockTicks) return clockTicks
  try {
    clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    clockTicks = 100
  }
  return clockTicks
}

/** utime + stime of `pid` in microseconds, or null when the process is gone. */
export function cpuMicros(pid) {
  let stat
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1e6) / ticksPerSecond()
}

/** Resolution of cpuMicros, in microseconds. */
export function cpuResolutionMicros() {
  return 1e6 / ticksPerSecond()
}

/** A line of /proc/<pid>/status in kB (e.g. VmHWM, VmRSS), or null. */
export function statusKb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

/** The executable name of `pid` (comm), or null. */
export function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return null
  }
}

/** The soft limit on open files of this process. */
export function openFileLimit() {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8')
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits)
    if (!match) return null
    return {
      soft: match[1] === 'unlimited' ? Infinity : Number(match[1]),
      hard: match[2] === 'unlimited' ? Infinity : Number(match[2])
    }
  } catch {
    return null
  }
}

/** Which CPUs this process may run on, e.g. "1", or null when unknown. */
export function allowedCpus() {
  try {
    const match = /^Cpus_allowed_list:\s+(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? match[1] : null
  } catch {
    return null
  }
}

/**
 * Jiffies of one CPU (e.g. 'cpu0') or of all ('cpu') from /proc/stat: time in processes
 * (user + nice + system), in interrupts (irq + softirq: on loopback, mostly TCP delivery of what
 * was sent from that CPU), stolen by the hypervisor, and in total.
 */
export function cpuJiffies(name) {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
    if (!line) return null
    const v = line.trim().split(/\s+/).slice(1).map(Number)
    return {
      procs: v[0] + v[1] + v[2],
      irq: v[5] + v[6],
      steal: v[7],
      total: v.slice(0, 8).reduce((a, b) => a + b, 0)
    }
  } catch {
    return null
  }
}
