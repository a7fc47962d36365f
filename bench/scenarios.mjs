// The scenarios and how one of them is run against one server.
import { cpus } from 'node:os'
import { align, analyseRaw, percentiles } from './analysis.mjs'
import { JsonObserver, JsonReaderPool } from './json-clients.mjs'
import { cpuJiffies, cpuMicros, statusKb } from './proc-stats.mjs'
import { RawReaderPool } from './raw-ws-reader.mjs'
import { freePort, startServer } from './servers.mjs'

/**
 * kind 'raw': reference-dialect readers on both servers. ours.interval is --interval; with
 * ours.saturate the server starts at 100 ms (so that connecting is not starved) and is switched
 * to 1 ms by a control message once every reader is in: the sampler then owes more samples than
 * it can send and emits them in ever larger batches, one frame each, i.e. it runs flat out.
 * ref.period 0 = the reference's back-to-back loop. kind 'json': ours only, /v1/stream.
 */
export function scenarios(quick) {
  const paced = (clients, windowS) => ({
    id: `fanout-${clients}`,
    title: `${clients} clients, 100 ms`,
    kind: 'raw',
    clients,
    ours: { interval: 100 },
    ref: { period: 100 },
    targetRate: 10,
    windowS
  })
  const saturation = (clients, windowS) => ({
    id: `sat-${clients}`,
    title: `${clients} clients, saturation`,
    kind: 'raw',
    clients,
    ours: { interval: 1, saturate: true },
    ref: { period: 0 },
    targetRate: null,
    windowS
  })
  const fast = (windowS) => ({
    id: 'rate-1ms-100',
    title: '100 clients, 1 ms',
    kind: 'raw',
    clients: 100,
    ours: { interval: 1 },
    ref: { period: 1 },
    targetRate: 1000,
    windowS
  })
  const json = (windowS) => ({
    id: 'json-1ms-100',
    title: '100 JSON clients, 1 ms',
    kind: 'json',
    clients: 100,
    ours: { interval: 1 },
    ref: null,
    targetRate: 1000,
    windowS
  })
  if (quick) return [paced(100, 4), paced(1000, 4), saturation(1000, 3), fast(4), json(3)]
  return [
    paced(100, 20),
    paced(1000, 20),
    paced(5000, 20),
    paced(10000, 20),
    saturation(1000, 10),
    saturation(5000, 10),
    fast(60),
    json(30)
  ]
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms))

async function waitFor(condition, timeoutMs, stepMs = 50) {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (condition()) return true
    await sleep(stepMs)
  }
  return condition()
}

function median(values) {
  return values.length === 0 ? NaN : percentiles(values, [50])[0]
}

// serverCore/generatorCore: '/proc/stat' names ('cpu0', 'cpu1'), or 'cpu' (all) when unpinned.
function measureStart(pid, cores) {
  return {
    cpu: cpuMicros(pid),
    gen: process.cpuUsage(),
    t: performance.now(),
    serverCore: cpuJiffies(cores.server),
    generatorCore: cpuJiffies(cores.generator)
  }
}

function corePct(before, after, field, scale) {
  if (!before || !after || after.total === before.total) return NaN
  return ((after[field] - before[field]) / (after.total - before.total)) * 100 * scale
}

function measureEnd(pid, start, cores) {
  const cpu = cpuMicros(pid)
  const gen = process.cpuUsage(start.gen)
  const wallS = (performance.now() - start.t) / 1000
  const serverCpuMicros = cpu === null || start.cpu === null ? NaN : cpu - start.cpu
  const generatorCpuPct = ((gen.user + gen.system) / 1e6 / wallS) * 100
  const serverCpuPct = (serverCpuMicros / 1e6 / wallS) * 100
  // What else ran on the cores (the machine is shared). Unpinned, both are the whole machine.
  const scale = cores.server === 'cpu' ? cores.count : 1
  const shared = cores.server === cores.generator
  const serverCore = cpuJiffies(cores.server)
  const generatorCore = cpuJiffies(cores.generator)
  // Busy = processes + interrupts: without CONFIG_IRQ_TIME_ACCOUNTING the kernel charges softirq
  // time to whichever task the tick interrupted, so the server's own loopback softirq is already
  // in its stime; subtracting it from processes + interrupts leaves what others used.
  const serverCoreBusy =
    corePct(start.serverCore, serverCore, 'procs', scale) +
    corePct(start.serverCore, serverCore, 'irq', scale)
  const generatorCoreBusy =
    corePct(start.generatorCore, generatorCore, 'procs', scale) +
    corePct(start.generatorCore, generatorCore, 'irq', scale)
  return {
    wallS,
    serverCpuMicros,
    serverCpuPct,
    generatorCpuPct,
    serverCoreIrqPct: corePct(start.serverCore, serverCore, 'irq', scale),
    otherOnServerCorePct:
      Math.max(0, serverCoreBusy - serverCpuPct - (shared ? generatorCpuPct : 0)) +
      corePct(start.serverCore, serverCore, 'steal', scale),
    otherOnGeneratorCorePct: shared
      ? NaN
      : Math.max(0, generatorCoreBusy - generatorCpuPct) +
        corePct(start.generatorCore, generatorCore, 'steal', scale)
  }
}

/**
 * Runs one scenario against one server. Returns a result row; throws only on harness errors.
 * @param {object} o { scenario, server: 'ours'|'baseline'|'ref', root (of the build that serves:
 *   this checkout, or the baseline's), cpu (core for the server or null), quick, nodeFlags, profile }
 *   'baseline' is our server built from another commit (`--baseline`): run exactly like ours.
 */
export async function runScenario({
  scenario,
  server: kind,
  root,
  cpu,
  quick,
  nodeFlags = [],
  profile = false,
  log = () => undefined
}) {
  const cores =
    cpu === null
      ? { server: 'cpu', generator: 'cpu', count: cpus().length }
      : { server: `cpu${cpu}`, generator: 'cpu1', count: 1 }
  const port = await freePort()
  const isOurs = kind !== 'ref'
  const settings = isOurs ? scenario.ours : scenario.ref
  const startInterval = isOurs ? (settings.saturate ? 100 : settings.interval) : settings.period
  const server = await startServer({
    kind: isOurs ? 'ours' : 'ref',
    root,
    port,
    intervalMs: startInterval,
    cpu,
    nodeFlags
  })
  const row = {
    scenario: scenario.id,
    title: scenario.title,
    server: kind,
    clients: scenario.clients,
    targetRate: scenario.targetRate,
    notes: []
  }
  let pool = null
  let observer = null
  try {
    if (isOurs) observer = await new JsonObserver().connect(port)
    const warmupMs = quick ? 300 : 1500
    const graceMs = quick ? 700 : 2000
    if (scenario.kind === 'json') {
      pool = new JsonReaderPool({ port, count: scenario.clients })
      row.open = await pool.connect()
      row.connectFailed = pool.counts.connectFailed
      await sleep(warmupMs)
    } else {
      pool = new RawReaderPool({ port, count: scenario.clients })
      const connectStart = performance.now()
      row.open = await pool.connect({ deadlineMs: quick ? 30_000 : 120_000 })
      row.connectS = (performance.now() - connectStart) / 1000
      row.connectFailed = pool.counts.connectFailed
      if (pool.failures.size) row.notes.push(`connect: ${pool.failureSummary()}`)
      log(`  ${row.open}/${scenario.clients} connected in ${row.connectS.toFixed(1)} s`)
      const everyone = await waitFor(
        () => pool.countReceiving(1) >= pool.openReaders.length,
        15_000
      )
      if (!everyone)
        row.notes.push(
          `${pool.openReaders.length - pool.countReceiving(1)} readers got no frame before the window`
        )
      if (isOurs && settings.saturate) {
        await observer.control({ type: 'set', intervalMs: settings.interval }, 30_000)
        row.notes.push(
          `--interval 100 while connecting, then set to ${settings.interval} ms (its fastest)`
        )
      }
      await sleep(warmupMs)
    }
    if (server.exited())
      throw new Error(
        `${kind} server exited before the window: ${server.stderrTail() || 'no message'}`
      )

    const start = measureStart(server.pid, cores)
    const t0 = pool.mark()
    await sleep(scenario.windowS * 1000)
    pool.endWindow()
    const m = measureEnd(server.pid, start, cores)
    await sleep(graceMs)
    pool.stopRecording()
    row.peakRssMb = (statusKb(server.pid, 'VmHWM') ?? NaN) / 1024
    row.windowS = m.wallS
    row.serverCpuPct = m.serverCpuPct
    row.generatorCpuPct = m.generatorCpuPct
    row.otherOnServerCorePct = m.otherOnServerCorePct
    row.serverCoreIrqPct = m.serverCoreIrqPct
    row.otherOnGeneratorCorePct = m.otherOnGeneratorCorePct
    if (server.exited())
      row.notes.push(`server exited during the run (${server.stderrTail() || 'no message'})`)

    if (scenario.kind === 'json') {
      const clients = pool.clients
      const messages = clients.reduce((sum, c) => sum + c.messagesEnd, 0)
      row.deliveries = messages
      row.deliveriesPerS = messages / m.wallS
      row.rate = median(clients.map((c) => c.samplesEnd)) / m.wallS
      row.samplesPerMessage =
        clients.reduce((sum, c) => sum + c.samplesEnd, 0) / Math.max(1, messages)
      ;[row.latMin, row.latP50, row.latP99, row.latMax] = percentiles(
        pool.latencies.subarray(0, pool.nLat),
        [0, 50, 99, 100]
      )
      ;[row.fanP50, row.fanP99, row.fanMax] = percentiles(pool.fanouts(), [50, 99, 100])
      row.closed = pool.counts.closedDuringRun
      row.missing = pool.counts.gaps
      row.notes.push(
        `${row.samplesPerMessage.toFixed(1)} samples per message; deliveries = messages`
      )
    } else {
      const readers = pool.readers.filter((r) => r.vals)
      row.deliveries = readers.reduce((sum, r) => sum + Math.max(0, r.nEnd), 0)
      row.deliveriesPerS = row.deliveries / m.wallS
      row.rate = median(readers.filter((r) => !r.closed).map((r) => r.nEnd)) / m.wallS
      const alignment = align(readers, observer?.reference() ?? null)
      const analysed = analyseRaw(readers, alignment, { t0Epoch: performance.timeOrigin + t0 })
      ;[row.fanP50, row.fanP99, row.fanMax] = percentiles(analysed.fanout, [50, 99, 100])
      row.fanSamples = analysed.fanout.length
      if (analysed.latency.length) {
        ;[row.latMin, row.latP50, row.latP99, row.latMax] = percentiles(
          analysed.latency,
          [0, 50, 99, 100]
        )
        row.notes.push(`latency min ${row.latMin.toFixed(2)} ms`)
      }
      row.missing = analysed.missing
      row.unaligned = alignment.unaligned
      row.alignedTo = alignment.kind
      const offs = [...alignment.offsets.values()]
      row.offsetSpread = offs.length ? Math.max(...offs) - Math.min(...offs) : NaN
      row.closed = pool.counts.closedDuringRun
      row.pongs = pool.counts.pongs
      row.readEvents = readers.reduce((sum, r) => sum + r.ne, 0)
      // The generator reads sockets one at a time: a broadcast that reached every socket at the
      // same instant would still look spread over (CPU per read × open readers). Measured fan-out
      // near this floor is the generator's, not the server's.
      const windowMs = m.wallS * 1000
      let readsInWindow = 0
      for (const r of readers) {
        let lo = 0
        let hi = r.ne
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if (r.evT[mid] <= windowMs) lo = mid + 1
          else hi = mid
        }
        readsInWindow += lo
      }
      row.generatorUsPerRead = readsInWindow
        ? ((m.generatorCpuPct / 100) * m.wallS * 1e6) / readsInWindow
        : NaN
      row.fanFloorMs = (row.generatorUsPerRead * readers.filter((r) => !r.closed).length) / 1000
      if (isOurs && settings.saturate && row.rate >= 0.99 * (1000 / settings.interval)) {
        row.notes.push(
          `kept up with 1000 samples/s (its fastest) by sending several frames per write ` +
            `(≈ ${(row.deliveries / Math.max(1, row.readEvents)).toFixed(0)} frames per read at the generator): ` +
            "deliveries/s is the sampler's ceiling × clients, a lower bound on what the server could send"
        )
      }
      if (alignment.unaligned)
        row.notes.push(`${alignment.unaligned} readers not aligned (excluded from fan-out)`)
    }
    row.usPerDelivery = m.serverCpuMicros / row.deliveries
    row.generatorPeakRssMb = process.resourceUsage().maxRSS / 1024
    return row
  } finally {
    if (profile) {
      // A clean exit is needed for node to write the profile. Readers go first: the samples the
      // server still owes (up to 5 s worth, drawn at once on stop) then cost next to nothing.
      pool?.destroy()
      observer?.close()
      const asked = performance.now()
      const exit = await server.stop({ signal: 'SIGINT', graceMs: 240_000 })
      log(
        `  profile: server exited ${((performance.now() - asked) / 1000).toFixed(1)} s after SIGINT (${exit.signal ?? `code ${exit.code}`})`
      )
    } else {
      // Server first: its sockets then close with RST, leaving no TIME_WAIT on our side.
      await server.stop()
      pool?.destroy()
      observer?.close()
    }
  }
}
