// The soak's report: a Markdown section printed to stdout and kept in BENCHMARKS.md between
// <!-- soak:start --> and <!-- soak:end --> (one sub-section per mode, so a quick CI-like run
// does not replace the figures of the full ten-minute run).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const KIND_LABELS = {
  'json-live': 'JSON, resuming (first connect live)',
  'json-from-start': 'JSON, resuming (first connect `?after=0`)',
  controller: 'JSON controller (steers; no churn)',
  reference: 'Reference dialect `"0"`/`"1"` (no resume)'
}

const int = (n) => (n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'))
const mib = (kb) => (kb ? `${(kb / 1024).toFixed(1)} MiB` : 'n/a')
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function median(sorted) {
  if (sorted.length === 0) return 0
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

/** The Markdown of one soak run. */
export function renderReport(r) {
  const out = []
  out.push(`### ${r.modeTitle}: ${r.verdict}`)
  out.push('')
  out.push(
    `${r.date} on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memGiB} GiB), ` +
      `Node ${r.machine.node}, ${r.machine.os}. Command: \`${r.command}\` (seed ${r.seed}).`
  )
  out.push('')
  const c = r.config
  out.push(
    `Setup: ${c.durationS} s of churn, ${c.clients} clients + 1 controller ` +
      `(${c.jsonLive} JSON live-first, ${c.jsonFromStart} JSON from-start, ${c.reference} reference dialect); ` +
      `sessions ${c.churn.minSessionMs / 1000}–${c.churn.maxSessionMs / 1000} s ` +
      `(${Math.round(c.churn.shortShare * 100)} % only ${c.churn.shortMinMs}–${c.churn.shortMaxMs} ms), ` +
      `away 0–${c.churn.maxAwayMs / 1000} s, ${Math.round(c.churn.terminateShare * 100)} % of disconnects abrupt (\`terminate()\`), ` +
      `the rest clean (\`close()\`); interval changed within ${c.minIntervalMs}–${c.maxIntervalMs} ms; ` +
      `${r.restarts.graceful + r.restarts.abrupt} restarts on the same port (${r.restarts.graceful} graceful: stop, drain, SIGTERM; ` +
      `${r.restarts.abrupt} abrupt: SIGTERM while drawing, churn going on). Wall time ${secs(r.wallMs)}.`
  )
  out.push('')
  out.push(
    table(
      [
        'Run',
        'Ended',
        'Lasted',
        'Samples drawn',
        'How known',
        'Server peak RSS (VmHWM)',
        'RSS at end',
        'Server CPU',
        'Clients at end (JSON/ref)'
      ],
      r.runs.map((run) => [
        String(run.index),
        run.endKind ?? 'running?',
        secs(run.lastedMs),
        int(run.lastSeq),
        run.truthSource,
        mib(run.peakHwmKb),
        mib(run.rssAtEndKb),
        run.cpuSeconds === null
          ? 'n/a'
          : `${run.cpuSeconds.toFixed(1)} s (${Math.round((100 * run.cpuSeconds * 1000) / Math.max(1, run.lastedMs))} %)`,
        run.clientsAtEnd ?? 'n/a'
      ])
    )
  )
  out.push('')
  const kinds = Object.values(r.totals).filter((t) => t.clients > 0)
  out.push(
    table(
      [
        'Clients',
        'n',
        'Connections',
        'Sent while member',
        'Expected',
        'Received',
        'Missing',
        'Duplicates',
        'Gaps announced',
        'Value disagreements',
        'Lost by design',
        'Received per client (min / median / max)'
      ],
      kinds.map((t) => {
        const isRef = t.kind === 'reference'
        return [
          KIND_LABELS[t.kind],
          int(t.clients),
          int(t.opens),
          isRef ? `≈ ${int(t.drawnWhileMember)}` : int(t.drawnWhileMember),
          isRef ? 'n/a (no resume)' : int(t.expected),
          int(t.received),
          isRef ? 'n/a' : `**${int(t.missing)}**`,
          isRef ? 'n/a' : int(t.duplicates),
          isRef ? 'n/a' : int(t.gapsAnnounced),
          isRef ? 'n/a' : int(t.disagreements + t.onesMismatches),
          isRef
            ? `≈ ${int(t.missedWhileAway)} (away)`
            : `${int(t.tailLostByDesign)} (abrupt-restart tails)`,
          `${int(t.receivedPerClient[0])} / ${int(median(t.receivedPerClient))} / ${int(t.receivedPerClient.at(-1))}`
        ]
      })
    )
  )
  out.push('')
  const e = r.events
  out.push(
    `Churn: ${int(e.reconnects)} reconnects (${int(e.cleanCloses)} clean closes, ${int(e.terminates)} \`terminate()\`, ` +
      `${int(e.serverCloses)} closed by the server with 1001 at restarts, ${int(e.slowConsumerCloses)} slow-consumer closes 4008); ` +
      `${int(e.failedConnects)} connect attempts refused while a server was restarting (expected). ` +
      `Control: ${int(e.pChanges)} p changes, ${int(e.intervalChanges)} interval changes, ${int(e.stopStarts)} stop/start pairs, ` +
      `${int(e.controlAcks)} acks. Peak clients seen by /status: ${int(e.peakClients)}.`
  )
  out.push('')
  out.push(
    `Server: peak RSS ${mib(r.server.peakHwmKb)} (max VmHWM over ${r.runs.length} processes), ` +
      `${r.server.crashes} crashes, ${r.server.stderrLines} stderr lines. ` +
      `Harness: peak RSS ${mib(r.harness.maxRssKb)}, event-loop delay p99 ${r.harness.loopP99Ms.toFixed(0)} ms, max ${r.harness.loopMaxMs.toFixed(0)} ms. ` +
      `Errors: ${int(r.errors.unexpected)} unexpected client-side errors${
        r.errors.examples.length
          ? ` (first: ${r.errors.examples
              .slice(0, 3)
              .map((x) => `\`${x}\``)
              .join('; ')})`
          : ''
      }, ` +
      `${int(r.errors.expected)} expected socket errors during restarts.`
  )
  out.push('')
  for (const check of r.checks)
    out.push(
      `- ${check.ok ? 'PASS' : '**FAIL**'}: ${check.name}${check.detail ? ` (${check.detail})` : ''}`
    )
  if (r.problems.length) {
    out.push('')
    out.push(`Problems (${r.problems.length}, first 20):`)
    out.push('')
    for (const problem of r.problems.slice(0, 20)) out.push(`- ${problem}`)
  }
  return out.join('\n')
}

const INTRO = `## Soak test (\`npm run soak\`)

\`node scripts/soak.mjs [--duration 600] [--clients 500] [--restarts 4] [--seed N] [--quick]\` starts the
headless server (\`out/main/headless.js\`) as a child process and connects hundreds of clients to it
over 127.0.0.1: resuming JSON-protocol clients (\`?after=N&stream=ID\`), reference-dialect clients and
one controller that changes p and the interval at random. Every client disconnects at random
(clean close or \`terminate()\`), stays away 0–3 s and comes back; the server is restarted on the same
port a few times, alternately *graceful* (sampler stopped, every client caught up, then SIGTERM:
the run's total is exact) and *abrupt* (SIGTERM while drawing). Each resuming JSON client must hold
every sample of every run it belonged to, from its first sample to the run's last, with no
duplicate, no hole and the same values as every other client; the only exception is the tail of a
run that ended abruptly while the client was away, which no server can replay after it exits
("lost by design"). Reference-dialect clients have no resume: what they miss while away is
reported, not failed. \`--quick\` (≈ 60 s, 100 clients) is the CI-sized run.`

const MODES = ['full', 'quick', 'custom']

/** Puts `markdown` in the `mode` sub-section of the soak section of `path`, leaving everything else as it is. */
export function writeBenchmarksSection(path, mode, markdown) {
  const original = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const start = '<!-- soak:start -->'
  const end = '<!-- soak:end -->'
  const from = original.indexOf(start)
  const to = original.indexOf(end)
  const hasSection = from !== -1 && to > from
  const inner = hasSection ? original.slice(from + start.length, to) : ''
  const parts = {}
  for (const m of MODES) {
    const match = new RegExp(
      `<!-- soak-run:${m}:start -->\\n([\\s\\S]*?)<!-- soak-run:${m}:end -->`
    ).exec(inner)
    if (match) parts[m] = match[1]
  }
  parts[mode] = markdown.trimEnd() + '\n'
  const body = [
    start,
    INTRO,
    '',
    ...MODES.filter((m) => parts[m]).flatMap((m) => [
      `<!-- soak-run:${m}:start -->`,
      parts[m].trimEnd(),
      `<!-- soak-run:${m}:end -->`,
      ''
    ]),
    end
  ].join('\n')
  const updated = hasSection
    ? original.slice(0, from) + body + original.slice(to + end.length)
    : original.trimEnd() + '\n\n' + body + '\n'
  writeFileSync(path, updated)
}
