// Tables (Markdown, also readable in a terminal) and the BENCHMARKS.md section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const GEN_BOUND_PCT = 90

function fmt(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–'
  if (!Number.isFinite(value)) return '∞'
  const abs = Math.abs(value)
  if (abs >= 100_000) return Math.round(value).toLocaleString('en-US')
  if (abs >= 100) return value.toFixed(0)
  return value.toFixed(abs < 1 && digits < 2 ? 2 : digits)
}

function ms(value) {
  if (value === undefined || Number.isNaN(value)) return '–'
  return value < 10 ? value.toFixed(2) : value.toFixed(1)
}

function triple(a, b, c) {
  if ([a, b, c].every((v) => v === undefined || Number.isNaN(v))) return '–'
  return `${ms(a)} / ${ms(b)} / ${ms(c)}`
}

function errors(row) {
  const parts = []
  if (row.connectFailed) parts.push(`${row.connectFailed} conn failed`)
  if (row.closed) parts.push(`${row.closed} closed`)
  if (row.missing)
    parts.push(
      `${row.missing} ${row.server !== 'ref' && row.scenario.startsWith('json') ? 'seq gaps' : 'frames missing'}`
    )
  if (row.unaligned) parts.push(`${row.unaligned} unaligned`)
  return parts.length ? parts.join(', ') : '0'
}

/** How a server is named in tables: this checkout's build, the `--baseline` build, the reference. */
export const serverName = (kind) =>
  kind === 'ours' ? 'ours' : kind === 'baseline' ? 'ours, baseline' : 'Tornado'

export function resultsTable(rows) {
  const lines = [
    "| Scenario | Server | Clients open | Rate /s (target) | Deliveries/s | Fan-out ms p50 / p99 / max | Gen floor ms | Latency ms p50 / p99 / max | Server CPU % | CPU µs / delivery | Peak RSS MB | Gen CPU % | Softirq % server core | Other procs' CPU % server / gen core | Errors / drops |",
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |'
  ]
  for (const r of rows) {
    if (r.error) {
      lines.push(
        `| ${r.title} | ${serverName(r.server)} | – | – | – | – | – | – | – | – | – | – | – | – | run failed: ${r.error} |`
      )
      continue
    }
    const target = r.targetRate ? ` (${r.targetRate})` : ' (max)'
    const gen = `${fmt(r.generatorCpuPct, 0)}${r.generatorCpuPct >= GEN_BOUND_PCT ? ' ⚠' : ''}`
    lines.push(
      `| ${r.title} | ${serverName(r.server)} | ${r.open}/${r.clients} | ${fmt(r.rate, 1)}${target} | ${fmt(r.deliveriesPerS, 0)} | ` +
        `${triple(r.fanP50, r.fanP99, r.fanMax)} | ${ms(r.fanFloorMs)} | ${triple(r.latP50, r.latP99, r.latMax)} | ${fmt(r.serverCpuPct, 1)} | ` +
        `${fmt(r.usPerDelivery, 2)} | ${fmt(r.peakRssMb, 0)} | ${gen} | ${fmt(r.serverCoreIrqPct, 0)} | ${fmt(r.otherOnServerCorePct, 0)} / ${fmt(r.otherOnGeneratorCorePct, 0)} | ${errors(r)} |`
    )
  }
  return lines.join('\n')
}

function ratioText(r) {
  if (r >= 100) return r.toFixed(0)
  if (r >= 0.1) return r.toFixed(2)
  return r.toPrecision(2)
}

/** Ours against another server row by row; `other` is 'ref' or 'baseline'. */
export function ratioTable(rows, other = 'ref') {
  const them = other === 'ref' ? 'ref' : 'baseline'
  const lines = [
    `| Scenario | Deliveries/s ours ÷ ${them} | CPU µs per delivery ours ÷ ${them} | Fan-out p99 ours ÷ ${them} | Peak RSS ours ÷ ${them} |`,
    '| --- | ---: | ---: | ---: | ---: |'
  ]
  const ratio = (a, b) =>
    a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) || b === 0
      ? '–'
      : `${ratioText(a / b)}×`
  const ids = [...new Set(rows.map((r) => r.scenario))]
  for (const id of ids) {
    const ours = rows.find((r) => r.scenario === id && r.server === 'ours' && !r.error)
    const ref = rows.find((r) => r.scenario === id && r.server === other && !r.error)
    if (!ours || !ref) continue
    lines.push(
      `| ${ours.title} | ${ratio(ours.deliveriesPerS, ref.deliveriesPerS)} | ${ratio(ours.usPerDelivery, ref.usPerDelivery)} | ` +
        `${ratio(ours.fanP99, ref.fanP99)} | ${ratio(ours.peakRssMb, ref.peakRssMb)} |`
    )
  }
  return lines.join('\n')
}

/** The targets, checked against ours. */
export function targets(rows, quick) {
  const get = (id) => rows.find((r) => r.scenario === id && r.server === 'ours' && !r.error)
  const genNote = (r) =>
    r && r.generatorCpuPct >= GEN_BOUND_PCT ? ' (generator ≥ 90 % CPU: may be generator-bound)' : ''
  const out = []
  const add = (name, row, measured, pass, extra = '') =>
    out.push({
      name,
      measured: row
        ? `${measured}${extra}${genNote(row)}`
        : 'not run' + (quick ? ' (quick mode)' : ''),
      result: row ? (pass ? 'PASS' : 'MISS') : '–'
    })
  const f10k = get('fanout-10000')
  add(
    '10 000 clients @ 100 ms: server ≤ 80 % of one core',
    f10k,
    `${fmt(f10k?.serverCpuPct)} %`,
    f10k?.serverCpuPct <= 80
  )
  add(
    '10 000 clients @ 100 ms: p99 fan-out ≤ 50 ms',
    f10k,
    `${ms(f10k?.fanP99)} ms (generator floor ≈ ${ms(f10k?.fanFloorMs)} ms)`,
    f10k?.fanP99 <= 50
  )
  const s5k = get('sat-5000')
  add(
    'Saturation, 5 000 clients: ≥ 150 000 deliveries/s',
    s5k,
    `${fmt(s5k?.deliveriesPerS, 0)} /s at ${fmt(s5k?.serverCpuPct)} % CPU${s5k?.rate >= 990 ? " (= the sampler's ceiling of 1000 samples/s × clients: it keeps up by sending several frames per write, so this is a lower bound on its capacity)" : ''}`,
    s5k?.deliveriesPerS >= 150_000
  )
  const r1 = get('rate-1ms-100')
  add(
    `1 ms, 100 clients: 1000 ± 5 samples/s${quick ? '' : ' over 60 s'}`,
    r1,
    `${fmt(r1?.rate, 1)} /s over ${fmt(r1?.windowS, 1)} s`,
    Math.abs(r1?.rate - 1000) <= 5
  )
  add('1 ms, 100 clients: p99 delivery latency ≤ 2 ms', r1, `${ms(r1?.latP99)} ms`, r1?.latP99 <= 2)
  const j = get('json-1ms-100')
  add(
    'JSON path @ 1 ms, 100 clients: server < 25 % of a core',
    j,
    `${fmt(j?.serverCpuPct)} %`,
    j?.serverCpuPct < 25
  )
  return out
}

export function targetsTable(list) {
  return [
    '| Target | Measured (ours) | Result |',
    '| --- | --- | --- |',
    ...list.map((t) => `| ${t.name} | ${t.measured} | ${t.result} |`)
  ].join('\n')
}

export function notesList(rows) {
  return rows
    .filter((r) => r.notes?.length)
    .map((r) => `- ${r.title}, ${serverName(r.server)}: ${r.notes.join('; ')}`)
    .join('\n')
}

/** The whole section: environment, tables, how to read them. */
export function section({ env, rows, quick, command }) {
  const t = targets(rows, quick)
  return [
    `### ${quick ? 'Quick run' : 'Full run'}: ${env.date}`,
    '',
    `Command: \`${command}\`  `,
    `Machine: ${env.cpuModel}, ${env.cores} cores (${env.pinning})  `,
    `Node ${env.node}, ws ${env.ws}; ${env.python}, Tornado ${env.tornado}; open-file limit ${env.fdLimit}  `,
    `Ours: ${env.build}`,
    ...(env.baseline ? [`Baseline (ours before): ${env.baseline}`] : []),
    '',
    '**Targets**',
    '',
    targetsTable(t),
    '',
    '**Ours ÷ reference** (below 1 is better for CPU, fan-out and RSS; above 1 is better for deliveries/s)',
    '',
    ratioTable(rows),
    '',
    ...(env.baseline
      ? [
          '**Ours ÷ baseline** (this build against the `--baseline` build, same run; same reading as above)',
          '',
          ratioTable(rows, 'baseline'),
          ''
        ]
      : []),
    '**All measurements** (window per row: see the scenario list in bench/scenarios.mjs)',
    '',
    resultsTable(rows),
    '',
    notesList(rows),
    '',
    'Reading the table: rate = frames (samples) each reader got per second (median reader); deliveries/s = frames summed over readers;',
    "fan-out = first to last reader receiving the same broadcast, as timed by the generator; gen floor = the generator's CPU per read",
    '× open readers, the spread it would report even if every socket got the broadcast at the same instant (fan-out near the floor',
    "is generator-bound); latency = arrival minus the sample's timestamp, ours only",
    "(the reference sends none; ours' stamps are each sample's scheduled time on performance.timeOrigin + performance.now()). Server CPU = utime+stime",
    "from /proc over the window (10 ms ticks); Gen CPU = the load generator's own process.cpuUsage() (⚠ ≥ 90 %: the generator may be",
    "the bottleneck). Softirq = irq+softirq time on the server's core (/proc/stat), mostly loopback TCP delivery of what the server",
    "sends; without CONFIG_IRQ_TIME_ACCOUNTING (as here) the kernel already charges it to the server's stime, so it is shown for",
    "information only. Other procs' CPU = what other processes (plus hypervisor steal) used on the",
    "server's and the generator's core during the window: the machine is shared, and high values make a row noisy. Ours also",
    'serves one JSON client, the latency probe and alignment reference.',
    ''
  ].join('\n')
}

export function writeSection(path, marker, text) {
  const start = `<!-- ${marker}:start -->`
  const end = `<!-- ${marker}:end -->`
  const block = `${start}\n${text}\n${end}`
  let doc = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nGenerated by `npm run bench` (see bench/README.md). Prose outside the markers is kept.\n'
  const a = doc.indexOf(start)
  const b = doc.indexOf(end)
  if (a >= 0 && b > a) doc = doc.slice(0, a) + block + doc.slice(b + end.length)
  else doc = `${doc.trimEnd()}\n\n${block}\n`
  writeFileSync(path, doc)
}
