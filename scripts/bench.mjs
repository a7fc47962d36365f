#!/usr/bin/env node
// `npm run bench`: our headless server against the Tornado reference, same generator, same
// scenarios, alternating. See bench/README.md.
//
// The script re-runs itself once under `sh -c 'ulimit -n <hard limit>; exec taskset -c 1 node …'`
// so that the load generator (this process) has enough file descriptors and sits on core 1;
// each server is started with `taskset -c 0`.
import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync
} from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const HELP = `Usage: npm run bench [-- options]

  --quick           a short run (≤ ~60 s): fewer client counts, shorter windows
  --only <ids>      comma-separated scenario ids (fanout-100, fanout-1000, fanout-5000, fanout-10000,
                    sat-1000, sat-5000, rate-1ms-100, json-1ms-100); BENCHMARKS.md is not written
  --server <which>  ours, ref or both (default both); BENCHMARKS.md is written only for both
  --baseline <rev>  also run our server as built from git revision <rev> (e.g. main~3), beside
                    this checkout's, in the same run: before/after side by side (ours ÷ baseline)
  --client-only     only the client-side section: posterior summary and the renderer in Chromium
  --profile <dir>   run ours alone under the 5 000-client saturation scenario with node --cpu-prof,
                    write the .cpuprofile to <dir> and print its top self-time functions
  -h, --help
`

let options
try {
  options = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      server: { type: 'string' },
      baseline: { type: 'string' },
      profile: { type: 'string' },
      'client-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    }
  }).values
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n${HELP}`)
  process.exit(2)
}
if (options.help) {
  process.stdout.write(HELP)
  process.exit(0)
}

// Which build is measured: the bench never rebuilds an existing out/.
function buildInfo() {
  const built = statSync(join(root, 'out/main/headless.js'))
    .mtime.toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' })
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], {
    cwd: root,
    encoding: 'utf8'
  })
  const commit = head.status === 0 ? head.stdout.trim() : 'unknown'
  const changes =
    dirty.status === 0 && dirty.stdout.trim() ? ', with uncommitted changes under src/' : ''
  return `out/main/headless.js built ${built}; HEAD ${commit}${changes} at the start of the run`
}

/**
 * Builds our server as it was at git revision `rev` into a temporary directory (the sources from
 * `git archive`, this checkout's node_modules linked in) and returns that directory and a line
 * describing the build. The caller removes the directory.
 */
function prepareBaseline(rev, say) {
  const resolved = spawnSync('git', ['rev-parse', '--short', '--verify', `${rev}^{commit}`], {
    cwd: root,
    encoding: 'utf8'
  })
  if (resolved.status !== 0)
    return { error: `--baseline: ${rev} is not a commit of this repository` }
  const commit = resolved.stdout.trim()
  const dir = mkdtempSync(join(tmpdir(), `bench-baseline-${commit}-`))
  const archive = spawnSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], {
    cwd: root,
    encoding: 'utf8'
  })
  if (archive.status !== 0)
    return { dir, error: `--baseline: git archive failed: ${archive.stderr}` }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  say(`bench: building the baseline (${commit}) in ${dir}…`)
  const build = spawnSync(
    join(root, 'node_modules/.bin/electron-vite'),
    ['build', '--logLevel', 'warn'],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] }
  )
  if (build.status !== 0 || !existsSync(join(dir, 'out/main/headless.js'))) {
    const why = (build.stderr ?? '').trim().split('\n').filter(Boolean).slice(-1)[0]
    return { dir, error: `--baseline: building ${commit} failed: ${why ?? 'no message'}` }
  }
  const subject = spawnSync('git', ['log', '-1', '--format=%s', commit], {
    cwd: root,
    encoding: 'utf8'
  }).stdout.trim()
  return { dir, commit, info: `git ${commit} (“${subject.slice(0, 70)}”), built for this run` }
}

function hasTaskset() {
  if (cpus().length < 2)
    return { ok: false, why: `only ${cpus().length} CPU: servers and generator run unpinned on it` }
  const probe = spawnSync('taskset', ['-c', '1', 'true'], { stdio: 'ignore' })
  if (probe.error)
    return { ok: false, why: 'taskset not found (util-linux): servers and generator run unpinned' }
  if (probe.status !== 0)
    return { ok: false, why: 'taskset cannot pin here: servers and generator run unpinned' }
  return { ok: true, why: '' }
}

// Stage 1: relaunch pinned, with the open-file limit raised to the hard limit.
if (process.env.BENCH_STAGE !== 'run') {
  const taskset = hasTaskset()
  if (!taskset.ok) process.stdout.write(`bench: ${taskset.why}.\n`)
  const command = [
    ...(taskset.ok ? ['taskset', '-c', '1'] : []),
    process.execPath,
    fileURLToPath(import.meta.url),
    ...process.argv.slice(2)
  ]
  const raise =
    'h=$(ulimit -Hn); [ "$h" = unlimited ] && h=1048576; ulimit -n "$h" 2>/dev/null; exec "$@"'
  const child = spawn('/bin/sh', ['-c', raise, 'sh', ...command], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_STAGE: 'run', BENCH_PINNED: taskset.ok ? '1' : '0' }
  })
  // Ctrl-C reaches the child too (same process group); a SIGINT sent to this process alone is passed on.
  process.on('SIGINT', () => child.kill('SIGINT'))
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)))
  child.on('error', (error) => {
    process.stderr.write(`bench: cannot start: ${error.message}\n`)
    process.exit(1)
  })
} else {
  await runBench()
}

async function runBench() {
  const { killAllServers } = await import('../bench/servers.mjs')
  const { scenarios, runScenario } = await import('../bench/scenarios.mjs')
  const { openFileLimit, allowedCpus, cpuJiffies } = await import('../bench/proc-stats.mjs')
  const report = await import('../bench/report.mjs')

  const quick = Boolean(options.quick)
  const pinned = process.env.BENCH_PINNED === '1'
  const serverCpu = pinned ? '0' : null
  const say = (line) => process.stdout.write(`${line}\n`)

  // Children die with us, whatever the reason.
  process.on('exit', () => killAllServers())
  const bail = (message, code) => {
    killAllServers()
    process.stderr.write(`bench: ${message}\n`)
    process.exit(code)
  }
  process.on('SIGINT', () => bail('interrupted; servers stopped.', 130))
  process.on('SIGTERM', () => bail('terminated; servers stopped.', 143))
  process.on('uncaughtException', (error) => bail(`failed: ${error.message}`, 1))
  process.on('unhandledRejection', (error) =>
    bail(`failed: ${error instanceof Error ? error.message : String(error)}`, 1)
  )
  // Posterior summary and the renderer in Chromium, into their own section of BENCHMARKS.md.
  const runClientSide = async (command) => {
    const { clientSideSection } = await import('../bench/client-side.mjs')
    const clientText = await clientSideSection({ quick, command, say })
    say(clientText)
    const marker = quick ? 'bench-client-quick' : 'bench-client'
    report.writeSection(join(root, 'BENCHMARKS.md'), marker, clientText)
    say(`bench: wrote the client-side ${quick ? 'quick ' : ''}section of BENCHMARKS.md.`)
  }
  if (options['client-only']) {
    await runClientSide(`npm run bench -- ${process.argv.slice(2).join(' ')}`)
    process.exit(0)
  }
  const limitMs = (quick ? 3 : 25) * (options.baseline ? 1.6 : 1) * 60_000
  setTimeout(
    () => bail(`time limit of ${limitMs / 60_000} min exceeded; servers stopped.`, 1),
    limitMs
  ).unref()

  const which = options.profile ? 'ours' : (options.server ?? 'both')
  if (!['ours', 'ref', 'both'].includes(which))
    bail(`--server must be ours, ref or both, got ${which}`, 2)
  let baseline = null
  if (options.baseline && !options.profile) {
    if (which === 'ref') bail('--baseline needs --server ours or both', 2)
    baseline = prepareBaseline(options.baseline, say)
    if (baseline.dir)
      process.on('exit', () => rmSync(baseline.dir, { recursive: true, force: true }))
    if (baseline.error) bail(baseline.error, 1)
  }

  // Prerequisites, one line each.
  let python = 'Python ?'
  let tornado = '?'
  if (which !== 'ours') {
    const probe = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import sys, tornado; print(sys.version.split()[0], tornado.version)'],
      { encoding: 'utf8' }
    )
    if (probe.error || probe.status !== 0) {
      bail(
        'the reference needs Tornado for /usr/bin/python3 (apt-get install python3-tornado); not found. Use --server ours to skip it.',
        1
      )
    }
    ;[python, tornado] = probe.stdout.trim().split(' ')
    python = `Python ${python}`
  }
  if (!existsSync(join(root, 'out/main/headless.js'))) {
    say('bench: out/main/headless.js is missing; building it with `npx electron-vite build`…')
    const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8'
    })
    if (build.status !== 0 || !existsSync(join(root, 'out/main/headless.js'))) {
      bail(
        `the build failed: ${(build.stderr ?? '').trim().split('\n').filter(Boolean).slice(-1)[0] ?? build.error?.message ?? 'no message'}`,
        1
      )
    }
  }
  const fd = openFileLimit()
  const fdSoft = fd?.soft ?? 1024

  let list = scenarios(quick)
  if (options.profile) list = scenarios(false).filter((s) => s.id === 'sat-5000')
  if (options.only) {
    const wanted = new Set(options.only.split(',').map((s) => s.trim()))
    const all = [...scenarios(quick), ...scenarios(!quick)]
    list = [...wanted].map(
      (id) => all.find((s) => s.id === id) ?? bail(`unknown scenario ${id}`, 2)
    )
  }

  const env = {
    date: new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC'),
    cpuModel: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    pinning: pinned
      ? 'servers on core 0, generator on core 1 via taskset'
      : 'unpinned: taskset unavailable',
    node: process.version,
    ws: JSON.parse(readFileSync(join(root, 'node_modules/ws/package.json'), 'utf8')).version,
    python,
    tornado,
    fdLimit: fdSoft,
    build: buildInfo(),
    baseline: baseline?.info ?? null
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  say(
    `bench: ${quick ? 'quick' : 'full'} run, ${list.length} scenarios; generator on CPU ${allowedCpus() ?? '?'}, open-file limit ${fdSoft}`
  )

  let profileDir = null
  if (options.profile) {
    profileDir = resolve(options.profile)
    mkdirSync(profileDir, { recursive: true })
  }

  const NOISY_PCT = 20
  const retryBudgetMs = 10 * 60_000
  const summary = (row) =>
    `  ${Math.round(row.deliveriesPerS)} deliveries/s, rate ${row.rate.toFixed(1)}/s, server CPU ${row.serverCpuPct.toFixed(1)} % ` +
    `(other processes ${row.otherOnServerCorePct.toFixed(0)} % on its core), fan-out p99 ${row.fanP99?.toFixed(2) ?? '–'} ms, ` +
    `generator CPU ${row.generatorCpuPct.toFixed(0)} % (peak RSS ${row.generatorPeakRssMb.toFixed(0)} MB${row.readEvents ? `, ${row.readEvents} reads recorded` : ''})`
  // Other sessions share this machine. Before each run, wait (a bounded time) for the server's
  // core to be mostly idle; how busy it still was is reported per row anyway.
  const quietCore = pinned ? 'cpu0' : 'cpu'
  const waitForQuiet = async (maxMs) => {
    const deadline = performance.now() + maxMs
    for (;;) {
      const a = cpuJiffies(quietCore)
      await new Promise((done) => setTimeout(done, 500))
      const b = cpuJiffies(quietCore)
      if (!a || !b || b.total === a.total) return NaN
      const busy =
        (100 * (b.procs + b.irq + b.steal - (a.procs + a.irq + a.steal))) / (b.total - a.total)
      if (busy < 15 || performance.now() >= deadline) return busy
    }
  }
  const rows = []
  const started = performance.now()
  for (const [index, scenario] of list.entries()) {
    const needed = scenario.clients + 256
    let servers = which === 'both' ? ['ours', 'ref'] : [which]
    if (baseline) servers.splice(1, 0, 'baseline')
    if (!scenario.ref) servers = servers.filter((s) => s !== 'ref')
    // Alternate the order so neither server always runs on a warmer (or noisier) machine.
    if (index % 2 === 1) servers.reverse()
    for (const server of servers) {
      const label = `${scenario.title} [${report.serverName(server)}]`
      if (needed > fdSoft) {
        say(
          `bench: skipping ${label}: needs ~${needed} open files, the limit is ${fdSoft} (raise ulimit -n).`
        )
        rows.push({
          scenario: scenario.id,
          title: scenario.title,
          server,
          error: `skipped: open-file limit ${fdSoft}`
        })
        continue
      }
      say(`bench: ${label}: ${scenario.windowS} s window…`)
      const run = async () => {
        if (!quick && !profileDir) {
          const waitStart = performance.now()
          const busy = await waitForQuiet(10_000)
          const waited = (performance.now() - waitStart) / 1000
          if (waited > 1)
            say(
              `  waited ${waited.toFixed(0)} s for a quieter core ${quietCore.slice(3) || '(all)'} (still ${busy.toFixed(0)} % busy)`
            )
        }
        return runScenario({
          scenario,
          server,
          root: server === 'baseline' ? baseline.dir : root,
          cpu: serverCpu,
          quick,
          profile: Boolean(profileDir),
          nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
          log: say
        })
      }
      try {
        let row = await run()
        say(summary(row))
        // The machine is shared: when other processes took a large share of the server's core,
        // run once more (time permitting) and keep the quieter of the two.
        if (
          !quick &&
          !profileDir &&
          row.otherOnServerCorePct > NOISY_PCT &&
          performance.now() - started < retryBudgetMs
        ) {
          say(
            `  other processes used ${row.otherOnServerCorePct.toFixed(0)} % of the server's core: running it again`
          )
          const again = await run()
          say(summary(again))
          const first = row
          row = again.otherOnServerCorePct < first.otherOnServerCorePct ? again : first
          row.notes.push(
            `run twice (other processes used ${first.otherOnServerCorePct.toFixed(0)} % then ${again.otherOnServerCorePct.toFixed(0)} % of the server's core); the quieter run is shown`
          )
        }
        rows.push(row)
      } catch (error) {
        say(`  failed: ${error.message}`)
        rows.push({ scenario: scenario.id, title: scenario.title, server, error: error.message })
      }
    }
  }
  const elapsedS = (performance.now() - started) / 1000

  const text = report.section({ env, rows, quick, command })
  say('')
  say(text)
  say(`bench: finished in ${elapsedS.toFixed(0)} s.`)
  if (profileDir) {
    const { summarise } = await import('../bench/profile-summary.mjs')
    const files = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(profileDir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    if (files.length === 0) bail(`no .cpuprofile was written to ${profileDir}`, 1)
    const { totalMs, rows: top } = summarise(files[0], 25)
    say(`\nProfile ${files[0]} (${(totalMs / 1000).toFixed(1)} s sampled), top self time:`)
    for (const r of top)
      say(`${r.pct.toFixed(1).padStart(5)} %  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`)
  } else if (options.only || which !== 'both') {
    say('bench: partial run (--only or --server): BENCHMARKS.md not written.')
  } else {
    report.writeSection(join(root, 'BENCHMARKS.md'), quick ? 'bench-quick' : 'bench', text)
    say(`bench: wrote the ${quick ? 'quick' : 'full'} section of BENCHMARKS.md.`)
    killAllServers()
    await runClientSide(command)
  }
  killAllServers()
  process.exit(rows.some((r) => r.error && !r.error.startsWith('skipped')) ? 1 : 0)
}
