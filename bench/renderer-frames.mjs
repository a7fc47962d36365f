// Renderer smoothness at 1000 samples/s, measured in Debian's Chromium on the built app served by
// the headless server: frames/s, long tasks (> 50 ms) after start-up, JS heap over time, and each
// frame's posterior update + redraw time (the renderer reports it in
// window.__bernoulliCharts.frameWorkMs), with both posteriors on (full memory and a tracking
// one). Returns figures; never asserts.
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import chromiumLaunch from '../e2e/support/chromium-launch.json' with { type: 'json' }

const ROOT = resolve(import.meta.dirname, '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? chromiumLaunch.executablePath
const STARTUP_MS = 5_000

/**
 * @param {{ durationS: number, intervalMs?: number, memory?: 'all' | 'window' | 'forgetting' }}
 *   options measured seconds after start-up; `memory` is the page's Memory choice (default
 *   `window`: full memory and the sliding window drawn together).
 * @returns {Promise<object|{ skipped: string }>}
 */
export async function measureRenderer({ durationS, intervalMs = 1, memory = 'window' }) {
  if (!existsSync(CHROMIUM))
    return { skipped: `no Chromium at ${CHROMIUM} (apt-get install chromium)` }
  const entry = resolve(ROOT, 'out/main/headless.js')
  const token = 'bench-renderer-token'
  const args = [entry, '--port', '0', '--interval', String(intervalMs), '--token', token]
  // The server on core 0 where taskset exists; Chromium stays with the caller (the bench runs on core 1).
  const pinned = spawnSync('taskset', ['--version']).status === 0
  const server = pinned
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'pipe']
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let banner = ''
  server.stdout.on('data', (chunk) => (banner += chunk))
  const port = await new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`headless server did not start: ${banner}`)),
      15_000
    )
    server.stdout.on('data', () => {
      const match = /App UI in a browser:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(banner)
      if (match) {
        clearTimeout(timer)
        done(Number(match[1]))
      }
    })
  })
  // The bench process is pinned to core 1 and children inherit that; a desktop browser has
  // both cores, so Chromium is started through taskset with both again.
  const wrapperDir = pinned ? mkdtempSync(join(tmpdir(), 'bench-chromium-')) : null
  const executablePath = wrapperDir ? join(wrapperDir, 'chromium') : CHROMIUM
  if (wrapperDir) {
    writeFileSync(executablePath, `#!/bin/sh\nexec taskset -c 0,1 ${CHROMIUM} "$@"\n`)
    chmodSync(executablePath, 0o755)
  }
  const browser = await chromium.launch({
    executablePath,
    args: [
      ...chromiumLaunch.args,
      '--enable-precise-memory-info',
      // window.gc(): the heap after a full collection is what shows a leak, not a GC sawtooth.
      '--js-flags=--expose-gc'
    ]
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    await page.addInitScript(() => {
      const w = /** @type {any} */ (window)
      w.__bench = { frames: [], longTasks: [], heap: [] }
      const tick = (t) => {
        w.__bench.frames.push(t)
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          w.__bench.longTasks.push({ start: e.startTime, ms: e.duration })
      }).observe({ type: 'longtask', buffered: true })
      setInterval(
        () =>
          w.__bench.heap.push({
            t: performance.now(),
            bytes: performance.memory?.usedJSHeapSize ?? 0
          }),
        1000
      )
    })
    await page.goto(`http://127.0.0.1:${port}/#token=${token}`)
    await page.getByTestId('memory').selectOption(memory)
    await page.waitForTimeout(STARTUP_MS)
    const heapAfterGc = () =>
      page.evaluate(() => {
        const w = /** @type {any} */ (window)
        w.gc()
        return performance.memory.usedJSHeapSize / 2 ** 20
      })
    await page.waitForTimeout(10_000 - STARTUP_MS)
    const heapStartMb = await heapAfterGc()
    const n0 = await readCount(page)
    const t0 = await page.evaluate(() => performance.now())
    // Heap after a full GC every 10 s: bounded structures fill up (the estimate history reaches
    // its cap after ~35 s at 60 points/s), a leak keeps rising.
    const heapSeriesMb = [heapStartMb]
    for (let waited = 0; waited < durationS * 1000; waited += 10_000) {
      await page.waitForTimeout(Math.min(10_000, durationS * 1000 - waited))
      if (waited + 10_000 < durationS * 1000) heapSeriesMb.push(await heapAfterGc())
    }
    const raw = await page.evaluate(() => ({
      bench: /** @type {any} */ (window).__bench,
      frameWorkMs: /** @type {any} */ (window).__bernoulliCharts?.frameWorkMs ?? [],
      now: performance.now()
    }))
    const n1 = await readCount(page)
    const heapEndMb = await heapAfterGc()
    heapSeriesMb.push(heapEndMb)
    const frames = raw.bench.frames.filter((t) => t >= t0)
    const elapsedS = (raw.now - t0) / 1000
    const longTasks = raw.bench.longTasks.filter((e) => e.start >= t0)
    const heap = raw.bench.heap.filter((h) => h.t >= t0)
    const work = [...raw.frameWorkMs].sort((a, b) => a - b)
    const heapMb = heap.map((h) => h.bytes / 2 ** 20)
    return {
      durationS: elapsedS,
      samplesPerS: (n1 - n0) / elapsedS,
      fps: frames.length / elapsedS,
      longTasks: longTasks.length,
      longestTaskMs: Math.max(0, ...longTasks.map((e) => e.ms)),
      heapFirstMb: heapMb[0] ?? NaN,
      heapLastMb: heapMb.at(-1) ?? NaN,
      heapMaxMb: Math.max(...heapMb),
      heapAfterGcStartMb: heapStartMb,
      heapAfterGcEndMb: heapEndMb,
      heapAfterGcSeriesMb: heapSeriesMb,
      frameWorkMedianMs: quantile(work, 0.5),
      frameWorkP95Ms: quantile(work, 0.95),
      frameWorkCount: work.length,
      memory
    }
  } finally {
    await browser.close()
    server.kill('SIGTERM')
    if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true })
  }
}

async function readCount(page) {
  const text = (await page.getByTestId('n').textContent()) ?? '0'
  return Number(text.replace(/[^\d]/g, ''))
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

// Standalone: node bench/renderer-frames.mjs [seconds]
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureRenderer({ durationS: Number(process.argv[2] ?? 20) })
  console.log(JSON.stringify(result, null, 2))
}
