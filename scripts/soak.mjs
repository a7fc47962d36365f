#!/usr/bin/env node
// A bounded soak test (`npm run soak`): hundreds of clients with random disconnect/reconnect
// churn, random p and interval changes and server restarts against the headless server, then a
// check that every resuming JSON client ended with zero missing samples, no duplicates and the
// same values as every other client. Prints a report, writes it to BENCHMARKS.md and exits
// non-zero on FAIL.
//
//   node scripts/soak.mjs [--duration 600] [--clients 500] [--restarts 4] [--seed N] [--quick]
//
// --quick: 60 s, 100 clients, 2 restarts (also the default when CI is set and no size is given).
// Helpers live in soak/. Only 127.0.0.1 is used; the server child is killed on exit, error and SIGINT.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { cpus, release, totalmem, type } from 'node:os'
import { dirname, relative, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Controller, JsonClient, ReferenceClient } from '../soak/clients.mjs'
import { RunLedger } from '../soak/ledger.mjs'
import { renderReport, writeBenchmarksSection } from '../soak/report.mjs'
import { createRng } from '../soak/rng.mjs'
import { ServerProcess } from '../soak/server-process.mjs'
import { verifyClients } from '../soak/verify.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DEFAULT_HEADLESS = resolve(ROOT, 'out/main/headless.js')
const FIRST_INTERVAL_MS = 10
const DRAIN_TIMEOUT_MS = 30_000
const RESTART_GRACE_MS = 1500
const CHURN = {
  minSessionMs: 1000,
  maxSessionMs: 20_000,
  shortShare: 0.1,
  shortMinMs: 20,
  shortMaxMs: 300,
  maxAwayMs: 3000,
  terminateShare: 0.5
}

const HELP = `Usage: node scripts/soak.mjs [options]

Soak test of the headless server: many clients, random churn, p/interval changes, restarts.

Options:
  --duration <s>        seconds of churn (default 600; 60 with --quick)
  --clients <n>         clients besides the controller (default 500; 100 with --quick)
  --restarts <n>        server restarts on the same port, alternately graceful and abrupt
                        (default 4; 2 with --quick)
  --reference-share <x> share of reference-dialect clients, 0..1 (default 0.1)
  --min-interval <ms>   smallest interval the controller sets (default 5)
  --max-interval <ms>   largest interval the controller sets (default 100)
  --seed <n>            seed of the soak's random choices (default: random, printed)
  --quick               ≈ 60 s with 100 clients, for CI (default when CI is set)
  --no-write            do not update BENCHMARKS.md
  --details <file>      per-client figures as JSON (default soak/last-run.json)
  --build               rebuild out/main/headless.js first (npx electron-vite build)
  --server <file>       soak another build of the headless entry (default out/main/headless.js)
  -h, --help            show this help
`

function fail(message) {
  process.stderr.write(`soak: ${message}\n`)
  process.exit(2)
}

function parseOptions(argv) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        clients: { type: 'string' },
        restarts: { type: 'string' },
        'reference-share': { type: 'string' },
        'min-interval': { type: 'string' },
        'max-interval': { type: 'string' },
        seed: { type: 'string' },
        quick: { type: 'boolean' },
        'no-write': { type: 'boolean' },
        details: { type: 'string' },
        build: { type: 'boolean' },
        server: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (error) {
    fail(`${error.message}\n${HELP}`)
  }
  if (values.help) {
    process.stdout.write(HELP)
    process.exit(0)
  }
  const sized = values.duration !== undefined || values.clients !== undefined
  const quick = values.quick === true || (Boolean(process.env.CI) && !sized)
  const number = (raw, fallback, name, min, max) => {
    if (raw === undefined) return fallback
    const value = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      fail(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
    }
    return value
  }
  const options = {
    quick,
    durationS: number(values.duration, quick ? 60 : 600, 'duration', 5, 3600),
    clients: Math.round(number(values.clients, quick ? 100 : 500, 'clients', 1, 5000)),
    restarts: Math.round(number(values.restarts, quick ? 2 : 4, 'restarts', 0, 50)),
    referenceShare: number(values['reference-share'], 0.1, 'reference-share', 0, 1),
    minIntervalMs: number(values['min-interval'], 5, 'min-interval', 1, 60_000),
    maxIntervalMs: number(values['max-interval'], 100, 'max-interval', 1, 60_000),
    seed: Math.round(
      number(values.seed, Math.floor(Math.random() * 0xffffffff), 'seed', 0, 0xffffffff)
    ),
    write: !values['no-write'],
    details: resolve(values.details ?? resolve(ROOT, 'soak/last-run.json')),
    build: values.build === true,
    headless: values.server === undefined ? DEFAULT_HEADLESS : resolve(values.server)
  }
  if (options.minIntervalMs > options.maxIntervalMs)
    fail('--min-interval must not exceed --max-interval')
  options.mode = quick
    ? 'quick'
    : options.durationS === 600 && options.clients === 500
      ? 'full'
      : 'custom'
  return options
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms))

/** Polls `pending()` (a list of what is not done yet) until it is empty or `timeoutMs` passed. */
async function waitUntilEmpty(pending, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let left = pending()
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50)
    left = pending()
  }
  return left
}

function ensureBuilt(headless, force) {
  if (headless !== DEFAULT_HEADLESS) {
    if (!existsSync(headless)) fail(`no server at ${headless}`)
    return
  }
  if (!force && existsSync(headless)) return
  process.stdout.write('Building out/main/headless.js (npx electron-vite build)…\n')
  const result = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  if (result.status !== 0 || !existsSync(headless))
    fail('the build failed; run `npx electron-vite build` and retry')
}

let server = null
const cleanUp = () => server?.killNow()
process.on('exit', cleanUp)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nsoak: ${signal}: stopping the server and exiting without a report\n`)
    cleanUp()
    process.exit(130)
  })
}
process.on('uncaughtException', (error) => {
  process.stderr.write(`soak: uncaught ${error.stack ?? error}\n`)
  cleanUp()
  process.exit(1)
})
process.on('unhandledRejection', (error) => {
  process.stderr.write(`soak: unhandled rejection ${error?.stack ?? error}\n`)
  cleanUp()
  process.exit(1)
})

async function main() {
  const argv = process.argv.slice(2)
  const options = parseOptions(argv)
  ensureBuilt(options.headless, options.build)
  const HEADLESS = options.headless
  const startedAt = Date.now()
  // Bounded: whatever happens, the soak ends.
  const hardLimitMs = (options.durationS + 300) * 1000
  setTimeout(() => {
    process.stderr.write(`soak: still running after ${hardLimitMs / 1000} s; giving up (FAIL)\n`)
    cleanUp()
    process.exit(3)
  }, hardLimitMs).unref()

  const rng = createRng(options.seed)
  const token = randomBytes(16).toString('base64url')
  const ledger = new RunLedger()
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()

  const counters = { expectedErrors: 0, slowConsumerCloses: 0, newStreamHellos: 0 }
  const events = { pChanges: 0, intervalChanges: 0, stopStarts: 0, controlAcks: 0, peakClients: 0 }
  const unexpected = []
  let unexpectedCount = 0
  const crashes = []
  let crashPending = false

  server = new ServerProcess({
    headlessPath: HEADLESS,
    token,
    onCrash: (crash) => {
      crashes.push(crash)
      crashPending = true
      process.stdout.write(
        `  !! server exited by itself: code ${crash.code}, signal ${crash.signal}\n`
      )
    }
  })

  const ctx = {
    wsBase: () => `ws://127.0.0.1:${server.port}`,
    rng,
    ledger,
    churnPaused: false,
    stopping: false,
    restartWindow: false,
    runIndex: 0,
    currentStreamId: null,
    liveSeq: () => (controller.streamId === ctx.currentStreamId ? controller.last : 0),
    churn: CHURN,
    counters,
    unexpected(client, kind, detail) {
      unexpectedCount++
      if (unexpected.length < 50) {
        unexpected.push(
          `${client ? `client ${client.id} (${client.kind})` : 'director'}: ${kind}: ${detail}`
        )
      }
    }
  }

  // The clients: a controller, reference-dialect clients, JSON clients (a fifth of them start
  // with ?after=0, the whole run so far; the rest start live).
  const referenceCount = Math.round(options.clients * options.referenceShare)
  const jsonCount = options.clients - referenceCount
  const fromStartCount = Math.round(jsonCount * 0.2)
  const controller = new Controller(ctx, 0, token)
  const jsonClients = [controller]
  const referenceClients = []
  for (let i = 1; i <= options.clients; i++) {
    // Interleaved so that each kind is spread over the ramp-up.
    const slot = (i * 7919) % options.clients
    if (slot < referenceCount) referenceClients.push(new ReferenceClient(ctx, i))
    else
      jsonClients.push(
        new JsonClient(ctx, i, { fromStart: slot < referenceCount + fromStartCount })
      )
  }
  const allClients = [...jsonClients, ...referenceClients]

  // Runs.
  const runs = []
  let restartGeneration = 0
  const reusedStreamIds = []

  async function startRun(port, settings) {
    ctx.runIndex = runs.length
    const { port: bound, pid } = await server.start({ port, ...settings })
    const status = await server.status()
    const run = ledger.run(status.streamId)
    if (run.index !== -1) reusedStreamIds.push(status.streamId)
    Object.assign(run, {
      index: runs.length,
      port: bound,
      pid,
      startSettings: settings,
      startedAtMs: Date.now()
    })
    runs.push(run)
    ctx.currentStreamId = status.streamId
    const generation = ++restartGeneration
    setTimeout(() => {
      if (generation === restartGeneration) ctx.restartWindow = false
    }, RESTART_GRACE_MS)
    return run
  }

  const randomSettings = () => ({
    p: Math.round(rng.uniform(0.05, 0.95) * 1000) / 1000,
    intervalMs: randomInterval(),
    seed: rng.int(1, 0xffffffff)
  })
  function randomInterval() {
    return Math.round(rng.logUniform(options.minIntervalMs, options.maxIntervalMs) * 2) / 2
  }
  function randomP() {
    if (rng.chance(0.05)) return rng.chance(0.5) ? 0 : 1
    return Math.round(rng.next() * 1000) / 1000
  }

  function sampleMemory() {
    const run = runs.at(-1)
    const memory = server.memory()
    if (run && memory) {
      run.peakHwmKb = Math.max(run.peakHwmKb, memory.hwmKb)
      run.rssAtEndKb = memory.rssKb
    }
  }
  const memoryTimer = setInterval(sampleMemory, 1000)
  const statusTimer = setInterval(() => {
    if (!server.running || ctx.restartWindow) return
    server.status().then(
      (status) => (events.peakClients = Math.max(events.peakClients, status.clients.total)),
      (error) => {
        if (server.running && !ctx.restartWindow) ctx.unexpected(null, '/status', error.message)
      }
    )
  }, 5000)

  /** Records the end of the current run and SIGTERMs its server. */
  async function stopServer(run, endKind) {
    sampleMemory()
    run.cpuSeconds = server.cpuSeconds()
    run.endKind = endKind
    restartGeneration++ // cancels the grace timer of the previous start, if still pending
    ctx.restartWindow = true
    if (endKind === 'final') ctx.stopping = true
    run.exit = await server.stop()
    run.endedAtMs = Date.now()
  }

  /** Stops the sampler, waits for every JSON client to hold the run's last sample, then SIGTERM. */
  async function endGracefully(endKind) {
    const run = runs.at(-1)
    ctx.churnPaused = true
    const ack = await controller.request({ type: 'stop' })
    events.controlAcks++
    run.ackLastSeq = ack.state.nextSeq - 1
    const drainStart = Date.now()
    const laggards = await waitUntilEmpty(
      () => jsonClients.filter((client) => !client.caughtUp(run.streamId, run.ackLastSeq)),
      DRAIN_TIMEOUT_MS
    )
    run.drain = {
      ms: Date.now() - drainStart,
      laggards: laggards.length,
      examples: laggards
        .slice(0, 5)
        .map((c) => ({ id: c.id, open: c.open, streamId: c.streamId, last: c.last }))
    }
    await recordEndStatus(run)
    await stopServer(run, endKind)
    ctx.churnPaused = false
  }

  /** What /status says just before a run ends: the run's total and who was still connected. */
  async function recordEndStatus(run) {
    const status = await server.status()
    Object.assign(run, {
      statusDrawn: status.samplesDrawn,
      statusStreamId: status.streamId,
      statusRunning: status.state.running,
      jsonClientsAtEnd: status.clients.json,
      referenceClientsAtEnd: status.clients.reference
    })
  }

  /** SIGTERM while the sampler draws and clients churn; /status first gives a lower bound. */
  async function endAbruptly() {
    const run = runs.at(-1)
    await recordEndStatus(run)
    await stopServer(run, 'abrupt')
  }

  async function restart(kind) {
    const port = server.port
    const before = runs.at(-1)
    if (kind === 'graceful') await endGracefully('graceful')
    else await endAbruptly()
    const settings = randomSettings()
    const run = await startRun(port, settings)
    log(
      `restart ${kind}: run ${before.index} ended at seq ${before.ackLastSeq ?? `≥ ${before.statusDrawn}`} ` +
        `(server exit ${before.exit.code ?? before.exit.signal} after ${before.exit.ms} ms` +
        `${before.drain ? `, drain ${before.drain.ms} ms` : ''}); run ${run.index} on port ${port}, ` +
        `p ${settings.p}, interval ${settings.intervalMs} ms`
    )
  }

  async function recoverFromCrash() {
    crashPending = false
    const run = runs.at(-1)
    const crash = crashes.at(-1)
    run.endKind = 'crash'
    run.exit = { code: crash.code, signal: crash.signal, forced: false, ms: 0 }
    run.endedAtMs = crash.at
    ctx.restartWindow = true
    const settings = randomSettings()
    const next = await startRun(server.port, settings)
    log(
      `server crashed in run ${run.index} (code ${crash.code}, signal ${crash.signal}); run ${next.index} started`
    )
  }

  async function controlAction() {
    const roll = rng.next()
    if (roll < 0.45) {
      const p = randomP()
      const ack = await controller.request({ type: 'set', p })
      if (ack.state.p !== p)
        ctx.unexpected(controller, 'control', `asked p ${p}, ack says ${ack.state.p}`)
      events.pChanges++
    } else if (roll < 0.8) {
      const intervalMs = randomInterval()
      const ack = await controller.request({ type: 'set', intervalMs })
      if (ack.state.intervalMs !== intervalMs) {
        ctx.unexpected(
          controller,
          'control',
          `asked interval ${intervalMs}, ack says ${ack.state.intervalMs}`
        )
      }
      events.intervalChanges++
    } else if (roll < 0.95) {
      const p = randomP()
      const intervalMs = randomInterval()
      const ack = await controller.request({ type: 'set', p, intervalMs })
      if (ack.state.p !== p || ack.state.intervalMs !== intervalMs) {
        ctx.unexpected(
          controller,
          'control',
          `asked p ${p} and ${intervalMs} ms, ack says ${JSON.stringify(ack.state)}`
        )
      }
      events.pChanges++
      events.intervalChanges++
    } else {
      const stopped = await controller.request({ type: 'stop' })
      if (stopped.state.running !== false)
        ctx.unexpected(controller, 'control', 'stop ack says running')
      events.controlAcks++
      await sleep(rng.uniform(300, 2000))
      const started = await controller.request({ type: 'start' })
      if (started.state.running !== true)
        ctx.unexpected(controller, 'control', 'start ack says stopped')
      events.stopStarts++
    }
    events.controlAcks++
  }

  const t0 = Date.now()
  const log = (line) =>
    process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`)

  // Start.
  process.stdout.write(
    `Soak (${options.mode}): ${options.durationS} s, ${options.clients} clients + controller ` +
      `(${jsonCount - fromStartCount} JSON live-first, ${fromStartCount} JSON from-start, ${referenceCount} reference), ` +
      `${options.restarts} restarts, seed ${options.seed}\n` +
      `Server: ${relative(ROOT, HEADLESS)} built ${statSync(HEADLESS).mtime.toISOString()} ` +
      `(rebuild with --build after changing src/)\n`
  )
  const firstRun = await startRun(0, {
    p: 0.72,
    intervalMs: FIRST_INTERVAL_MS,
    seed: rng.int(1, 0xffffffff)
  })
  log(`server up on port ${firstRun.port} (pid ${firstRun.pid}), run 0 stream ${firstRun.streamId}`)
  controller.start(0)
  const rampMs = Math.min(5000, options.clients * 10)
  allClients.slice(1).forEach((client, i) => client.start(50 + (rampMs * i) / options.clients))

  const durationMs = options.durationS * 1000
  const endAt = t0 + durationMs
  const plan = Array.from({ length: options.restarts }, (_, i) => ({
    at: t0 + (durationMs * (i + 1)) / (options.restarts + 1),
    kind: i % 2 === 0 ? 'graceful' : 'abrupt'
  }))
  let lastProgress = Date.now()
  while (Date.now() < endAt) {
    try {
      if (crashPending) {
        await recoverFromCrash()
        continue
      }
      if (plan.length > 0 && Date.now() >= plan[0].at) {
        await restart(plan.shift().kind)
        continue
      }
      const until = Math.min(plan[0]?.at ?? endAt, endAt)
      await sleep(Math.max(0, Math.min(rng.uniform(1000, 5000), until - Date.now())))
      if (Date.now() >= endAt || crashPending || (plan.length > 0 && Date.now() >= plan[0].at))
        continue
      await controlAction()
    } catch (error) {
      ctx.unexpected(null, 'director', error.message)
      log(`director: ${error.message}`)
      await sleep(500)
    }
    if (Date.now() - lastProgress >= 30_000) {
      lastProgress = Date.now()
      const open = allClients.filter((c) => c.open).length
      const run = runs.at(-1)
      log(
        `run ${run.index}: seq ~${controller.last}, ${open}/${allClients.length} clients connected, ` +
          `server RSS ${run.rssAtEndKb ? (run.rssAtEndKb / 1024).toFixed(0) : '?'} MiB, ${unexpectedCount} unexpected errors`
      )
    }
  }

  // The end: stop the sampler, let everyone catch up, read the exact totals, stop the server.
  try {
    if (crashPending) await recoverFromCrash()
    await endGracefully('final')
    const last = runs.at(-1)
    log(
      `final: run ${last.index} ended at seq ${last.ackLastSeq}; drain ${last.drain.ms} ms, ${last.drain.laggards} laggards`
    )
  } catch (error) {
    ctx.unexpected(null, 'director', `final stop: ${error.message}`)
    ctx.stopping = true
    const run = runs.at(-1)
    if (run.endKind === null) await stopServer(run, 'abrupt')
  }
  ctx.stopping = true
  clearInterval(memoryTimer)
  clearInterval(statusTimer)
  await waitUntilEmpty(() => allClients.filter((c) => c.open), 3000)
  for (const client of allClients) client.shutDown()
  loopDelay.disable()

  // Verify.
  const orphanRuns = ledger.runs().filter((run) => run.index === -1)
  const { totals, problems, perClient } = verifyClients({ runs, jsonClients, referenceClients })
  for (const run of orphanRuns)
    problems.push(`clients were greeted by stream ${run.streamId}, which no server run reported`)
  for (const id of reusedStreamIds) problems.push(`stream id ${id} was used by two runs`)
  for (const client of jsonClients)
    if (client.helloCount === 0) problems.push(`client ${client.id} never got a hello`)
  for (const client of referenceClients)
    if (client.opens === 0) problems.push(`reference client ${client.id} never connected`)

  const resumed = ['json-live', 'json-from-start', 'controller'].map((kind) => totals[kind])
  const sum = (key) => resumed.reduce((acc, t) => acc + t[key], 0)
  const graceful = runs.filter((run) => run.isGraceful)
  const abrupt = runs.filter((run) => run.endKind === 'abrupt')
  const truthBad = graceful.filter(
    (run) =>
      run.ackLastSeq !== run.statusDrawn ||
      run.maxSeqSeen !== run.ackLastSeq ||
      run.statusStreamId !== run.streamId ||
      run.statusRunning !== false
  )
  const abruptBad = abrupt.filter((run) => !(run.maxSeqSeen >= run.statusDrawn))
  const badExits = runs.filter(
    (run) => run.exit && run.endKind !== 'crash' && (run.exit.code !== 0 || run.exit.forced)
  )
  const undrained = graceful.filter((run) => run.drain && run.drain.laggards > 0)
  for (const run of truthBad) {
    problems.push(
      `run ${run.index}: stop ack says last seq ${run.ackLastSeq}, /status samplesDrawn ${run.statusDrawn} ` +
        `(running ${run.statusRunning}, stream ${run.statusStreamId}), highest seq seen ${run.maxSeqSeen}`
    )
  }
  for (const run of abruptBad)
    problems.push(
      `run ${run.index}: highest seq seen ${run.maxSeqSeen} < /status samplesDrawn ${run.statusDrawn} before SIGTERM`
    )
  for (const run of badExits)
    problems.push(`run ${run.index}: server exit ${JSON.stringify(run.exit)}`)
  for (const run of undrained)
    problems.push(
      `run ${run.index}: ${run.drain.laggards} JSON clients not caught up after ${run.drain.ms} ms: ${JSON.stringify(run.drain.examples)}`
    )
  for (const crash of crashes) problems.push(`server crash: ${JSON.stringify(crash)}`)
  for (const run of runs) {
    if (run.disagreements)
      problems.push(
        `run ${run.index}: ${run.disagreements} value disagreements, first ${JSON.stringify(run.firstDisagreement)}`
      )
  }

  const checks = [
    {
      name: 'every resuming JSON client ended with zero missing samples',
      ok: sum('missing') === 0,
      detail: `${sum('missing')} missing, ${sum('clientsWithMissing')} clients with any missing; expected ${sum('expected').toLocaleString('en-US')}, received ${sum('received').toLocaleString('en-US')}`
    },
    { name: 'no duplicates', ok: sum('duplicates') === 0, detail: `${sum('duplicates')}` },
    {
      name: 'no gap announced (600 000-sample replay buffer)',
      ok: sum('gapsAnnounced') === 0,
      detail: `${sum('gapsAnnounced')}`
    },
    {
      name: 'every client holding seq k got the same value; per-client counts of 1s agree',
      ok: sum('disagreements') === 0 && sum('onesMismatches') === 0,
      detail: `${sum('disagreements')} disagreements, ${sum('onesMismatches')} count mismatches`
    },
    {
      name: '`state` events come right after the last sample drawn before them',
      ok: sum('stateOrderViolations') === 0,
      detail: `${sum('stateOrderViolations')} violations`
    },
    {
      name: 'graceful ends: stop ack = /status samplesDrawn = highest seq any client saw',
      ok: truthBad.length === 0,
      detail: graceful.map((run) => `run ${run.index}: ${run.ackLastSeq}`).join(', ')
    },
    {
      name: 'abrupt ends: highest seq seen ≥ samplesDrawn read just before SIGTERM',
      ok: abruptBad.length === 0,
      detail:
        abrupt
          .map((run) => `run ${run.index}: ${run.maxSeqSeen} ≥ ${run.statusDrawn}`)
          .join(', ') || 'none'
    },
    {
      name: 'all JSON clients caught up before each graceful stop',
      ok: undrained.length === 0,
      detail: graceful.map((run) => `${run.drain?.ms ?? '?'} ms`).join(', ')
    },
    {
      name: 'no server crash; every SIGTERM ended the server with code 0',
      ok: crashes.length === 0 && badExits.length === 0,
      detail: `${crashes.length} crashes; exits in ${runs.map((run) => `${run.exit?.ms ?? '?'} ms`).join(', ')}`
    },
    {
      name: 'no unexpected client-side error (socket errors outside restarts, bad frames, refused control)',
      ok: unexpectedCount === 0 && sum('malformed') + totals.reference.malformed === 0,
      detail: `${unexpectedCount}`
    },
    {
      name: 'bookkeeping consistent (every client greeted, no unknown or reused stream id)',
      ok: !problems.some((p) =>
        /never got a hello|never connected$|no server run|used by two runs|bookkeeping|beyond its last|unknown stream/.test(
          p
        )
      ),
      detail: ''
    }
  ]
  const passed = checks.every((check) => check.ok)

  const allTotals = Object.values(totals)
  const eventsOut = {
    ...events,
    reconnects: allTotals.reduce((a, t) => a + t.reconnects, 0),
    cleanCloses: allTotals.reduce((a, t) => a + t.cleanCloses, 0),
    terminates: allTotals.reduce((a, t) => a + t.terminates, 0),
    serverCloses: allTotals.reduce((a, t) => a + t.serverCloses, 0),
    slowConsumerCloses: counters.slowConsumerCloses,
    failedConnects: allTotals.reduce((a, t) => a + t.failedConnects, 0)
  }
  const report = {
    verdict: passed ? 'PASS' : 'FAIL',
    modeTitle:
      options.mode === 'full'
        ? 'Full soak (10 min, 500 clients)'
        : options.mode === 'quick'
          ? `Quick soak (${options.durationS} s, ${options.clients} clients)`
          : `Custom soak (${options.durationS} s, ${options.clients} clients)`,
    date: new Date(startedAt)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC'),
    machine: {
      cpu: cpus()[0]?.model?.trim() ?? 'unknown CPU',
      cores: cpus().length,
      memGiB: (totalmem() / 2 ** 30).toFixed(0),
      node: process.version,
      os: `${type()} ${release()}`
    },
    command: ['node scripts/soak.mjs', ...argv].join(' '),
    seed: options.seed,
    wallMs: Date.now() - startedAt,
    config: {
      durationS: options.durationS,
      clients: options.clients,
      jsonLive: jsonCount - fromStartCount,
      jsonFromStart: fromStartCount,
      reference: referenceCount,
      minIntervalMs: options.minIntervalMs,
      maxIntervalMs: options.maxIntervalMs,
      churn: CHURN
    },
    restarts: {
      graceful: runs.filter((run) => run.endKind === 'graceful').length,
      abrupt: abrupt.length
    },
    runs: runs.map((run) => ({
      index: run.index,
      streamId: run.streamId,
      endKind: run.endKind,
      lastedMs: (run.endedAtMs || Date.now()) - run.startedAtMs,
      lastSeq: run.truthLastSeq,
      truthSource: run.isGraceful
        ? 'stop ack = /status'
        : run.endKind === 'abrupt'
          ? `highest seen (/status ${run.statusDrawn?.toLocaleString('en-US')} just before)`
          : 'highest seen',
      peakHwmKb: run.peakHwmKb,
      rssAtEndKb: run.rssAtEndKb,
      cpuSeconds: run.cpuSeconds,
      clientsAtEnd:
        run.jsonClientsAtEnd === null
          ? null
          : `${run.jsonClientsAtEnd}/${run.referenceClientsAtEnd}`,
      settings: run.startSettings,
      exit: run.exit,
      drain: run.drain
    })),
    totals,
    events: eventsOut,
    server: {
      peakHwmKb: Math.max(0, ...runs.map((run) => run.peakHwmKb)),
      crashes: crashes.length,
      stderrLines: server.stderrLineCount
    },
    harness: {
      maxRssKb: process.resourceUsage().maxRSS,
      loopP99Ms: loopDelay.percentile(99) / 1e6,
      loopMaxMs: loopDelay.max / 1e6
    },
    errors: {
      unexpected: unexpectedCount,
      expected: counters.expectedErrors,
      examples: unexpected
    },
    checks,
    problems
  }

  const markdown = renderReport(report)
  process.stdout.write(`\n${markdown}\n`)
  if (server.stderrLines.length) {
    process.stdout.write(
      `\nServer stderr (first ${Math.min(20, server.stderrLines.length)} lines):\n${server.stderrLines.slice(0, 20).join('\n')}\n`
    )
  }
  if (unexpected.length)
    process.stdout.write(
      `\nUnexpected errors (first ${Math.min(20, unexpected.length)}):\n${unexpected.slice(0, 20).join('\n')}\n`
    )
  try {
    writeFileSync(
      options.details,
      JSON.stringify(
        {
          ...report,
          totals: Object.fromEntries(
            allTotals.map((t) => [t.kind, { ...t, receivedPerClient: undefined }])
          ),
          perClient
        },
        null,
        1
      )
    )
    process.stdout.write(`\nPer-client figures: ${relative(process.cwd(), options.details)}\n`)
  } catch (error) {
    process.stderr.write(`soak: cannot write ${options.details}: ${error.message}\n`)
  }
  if (options.write) {
    const path = resolve(ROOT, 'BENCHMARKS.md')
    writeBenchmarksSection(path, options.mode, markdown)
    process.stdout.write(
      `Report written to ${relative(process.cwd(), path)} (soak section, ${options.mode}).\n`
    )
  }
  process.stdout.write(`\nSOAK ${report.verdict}\n`)
  return passed ? 0 : 1
}

main().then(
  (code) => {
    cleanUp()
    process.exit(code)
  },
  (error) => {
    process.stderr.write(`soak: ${error.stack ?? error}\n`)
    cleanUp()
    process.exit(1)
  }
)
