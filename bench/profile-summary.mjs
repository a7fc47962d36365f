// Top self-time functions of a V8 .cpuprofile (node --cpu-prof).
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'

export function summarise(path, top = 25) {
  const profile = JSON.parse(readFileSync(path, 'utf8'))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const byFunction = new Map()
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const where = url ? `${basename(url)}:${lineNumber + 1}` : ''
    const key = `${functionName || '(anonymous)'} ${where}`.trim()
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
  }
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)
  return {
    totalMs: total / 1000,
    rows: rows.map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / total }))
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2)
  if (!file) {
    process.stderr.write('Usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n')
    process.exit(2)
  }
  const { totalMs, rows } = summarise(file, Number(top) || 25)
  process.stdout.write(`${(totalMs / 1000).toFixed(1)} s sampled\n`)
  for (const row of rows)
    process.stdout.write(
      `${row.pct.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(7)} ms  ${row.name}\n`
    )
}
