// Client-side figures for `npm run bench`: the posterior summary's cost per update (vitest bench,
// plain Node) and the renderer's smoothness at 1000 samples/s in Chromium. Measured, never asserted.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { measureRenderer } from './renderer-frames.mjs'

const ROOT = resolve(import.meta.dirname, '..')

/** Mean and p99 (ms) per case of bench/posterior-summary.bench.ts. */
export function measurePosteriorSummary({ quick }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-posterior-'))
  const out = join(dir, 'result.json')
  const run = spawnSync(
    'npx',
    ['vitest', 'bench', '--run', 'bench/posterior-summary.bench.ts', '--outputJson', out],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_TIME_MS: quick ? '300' : '2000' } }
  )
  try {
    if (run.status !== 0)
      return { skipped: `vitest bench failed: ${(run.stderr || run.stdout).slice(-300)}` }
    const json = JSON.parse(readFileSync(out, 'utf8'))
    return json.files
      .flatMap((f) => f.groups.flatMap((g) => g.benchmarks))
      .map((b) => ({ name: b.name, meanMs: b.mean, p99Ms: b.p99 }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS')
const fmt = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—')

/** Runs both measurements and returns the markdown section. */
export async function clientSideSection({ quick, command, say }) {
  say('bench: posterior summary (vitest bench) …')
  const summary = measurePosteriorSummary({ quick })
  const durationS = quick ? 10 : 60
  say(`bench: renderer in Chromium at 1 ms for ${durationS} s …`)
  let renderer
  try {
    renderer = await measureRenderer({ durationS })
  } catch (error) {
    renderer = { skipped: error.message }
  }
  const lines = [
    `### Client side (${quick ? 'quick' : 'full'}): ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    '',
    `Command: \`${command}\``,
    ''
  ]
  if (Array.isArray(summary)) {
    const worst = Math.max(...summary.map((r) => r.meanMs))
    lines.push(
      '**Posterior summary + 200-point density per update** (mean, MAP, 95 % interval, P(p > 0.5); target ≤ 1 ms up to α, β = 1e9):',
      '',
      '| posterior | mean ms | p99 ms | target |',
      '| --- | ---: | ---: | --- |',
      ...summary.map(
        (r) =>
          `| ${r.name} | ${fmt(r.meanMs, 3)} | ${fmt(r.p99Ms, 3)} | ${verdict(r.meanMs <= 1)} |`
      ),
      '',
      `Worst mean: ${fmt(worst, 3)} ms.`,
      ''
    )
  } else lines.push(`Posterior summary: skipped (${summary.skipped}).`, '')
  if (!renderer.skipped) {
    const series = renderer.heapAfterGcSeriesMb
    const heapRise = Math.max(...series) - series[0]
    const laterSpread = Math.max(...series.slice(1)) - Math.min(...series.slice(1))
    lines.push(
      `**Renderer at 1 ms interval, full memory and the ${renderer.memory} posterior drawn together** (built app served by the headless server, Debian Chromium headless with software rendering on both cores, ${fmt(renderer.durationS, 0)} s from 10 s after load):`,
      '',
      '| measure | value | target |',
      '| --- | ---: | --- |',
      `| samples/s received | ${fmt(renderer.samplesPerS, 0)} | 1000 |`,
      `| frames/s | ${fmt(renderer.fps, 1)} | ≥ 55: ${verdict(renderer.fps >= 55)} |`,
      `| long tasks (> 50 ms) after start-up | ${renderer.longTasks} (longest ${fmt(renderer.longestTaskMs, 0)} ms) | 0: ${verdict(renderer.longTasks === 0)} |`,
      `| JS heap after a full GC, every 10 s from 10 s | ${series.map((v) => fmt(v, 1)).join(' → ')} MB (between GCs up to ${fmt(renderer.heapMaxMb, 1)}) | flat after 10 s (rise < 1 MB): ${verdict(heapRise < 1)}; from 20 s on the spread is ${fmt(laterSpread, 1)} MB |`,
      `| posterior update + redraw per frame, median | ${fmt(renderer.frameWorkMedianMs, 1)} ms (p95 ${fmt(renderer.frameWorkP95Ms, 1)}) | ≤ 4 ms: ${verdict(renderer.frameWorkMedianMs <= 4)} |`,
      ''
    )
  } else lines.push(`Renderer: skipped (${renderer.skipped}).`, '')
  return lines.join('\n')
}
