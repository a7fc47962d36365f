/// <reference lib="dom" />
import { expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import {
  BRIDGE_METHODS,
  type BernoulliBridge,
  type ConnectionInfo
} from '../src/shared/ipc-contract'
import type { ServerStatus } from '../src/shared/protocol/messages'
import { freshUserData, launchApp, launchSecondInstance, removeUserData } from './launch'

// Everything issue 10 asks of the real app, on the real Electron (CI: three systems, the dev
// build and the packaged one). Uses only the renderer's stable data-testid hooks.

/** What the page's globals hold (the preload's bridge, the charts' counters). */
interface PageGlobals {
  bernoulli?: BernoulliBridge
  __bernoulliCharts?: { densityUpdates: number }
}

let userData: string
let app: ElectronApplication
let page: Page
let info: ConnectionInfo

test.beforeEach(async () => {
  userData = await freshUserData()
  app = await launchApp(userData)
  page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  info = await page.evaluate(() => (window as unknown as PageGlobals).bernoulli!.connectionInfo())
})

test.afterEach(async () => {
  if (app.process().exitCode === null) await app.close().catch(() => undefined)
  await removeUserData(userData)
})

async function status(): Promise<ServerStatus> {
  const response = await fetch(`${info.httpUrl}/status`)
  return (await response.json()) as ServerStatus
}

test('the window shows our page from app://bernoulli/ with only the bridge, and the charts update', async () => {
  expect(page.url()).toBe('app://bernoulli/index.html')
  const windows = await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((window) => ({
      visible: window.isVisible(),
      title: window.getTitle()
    }))
  )
  expect(windows).toEqual([{ visible: true, title: 'Bernoulli Stream' }])
  expect(await app.evaluate(({ app }) => app.getName())).toBe('Bernoulli Stream')

  const exposed = await page.evaluate(() => ({
    keys: Object.keys((window as unknown as PageGlobals).bernoulli ?? {}),
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process
  }))
  expect(exposed).toEqual({ keys: [...BRIDGE_METHODS], require: 'undefined', process: 'undefined' })

  // A refused call crosses the context bridge with its code intact.
  const refusal = await page.evaluate(() =>
    (window as unknown as PageGlobals).bernoulli!.setP(7).then(
      () => null,
      (reason: { code?: unknown }) => ({ code: reason.code, isError: reason instanceof Error })
    )
  )
  expect(refusal).toEqual({ code: 'E_INVALID_P', isError: false })

  // The WebSocket from our scheme to our server works: samples arrive and the charts redraw.
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  const redraws = (): Promise<number> =>
    page.evaluate(() => (window as unknown as PageGlobals).__bernoulliCharts?.densityUpdates ?? 0)
  const first = await redraws()
  await expect.poll(redraws).toBeGreaterThan(first)
  await expect
    .poll(async () => Number((await page.getByTestId('n').textContent())?.replace(/\D/g, '')))
    .toBeGreaterThan(0)
})

test('Start, Stop and a p change from the UI change /status', async () => {
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await page.getByTestId('stop').click()
  await expect.poll(async () => (await status()).state.running).toBe(false)
  await page.getByTestId('start').click()
  await expect.poll(async () => (await status()).state.running).toBe(true)
  await page.getByTestId('p-input').fill('0.3')
  await page.getByTestId('p-input').press('Enter')
  await expect.poll(async () => (await status()).state.p).toBe(0.3)
})

test('step mode and reseed go through the bridge: Draw 10 in the UI, reseed and draw from the page', async () => {
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await page.getByTestId('stop').click()
  await expect.poll(async () => (await status()).state.running).toBe(false)
  const before = await status()
  await page.getByTestId('draw-10').click()
  await expect.poll(async () => (await status()).samplesDrawn).toBe(before.samplesDrawn + 10)
  expect((await status()).state.nextSeq).toBe(before.state.nextSeq + 10)
  // The page counts what it was sent: the ten samples reached it over its socket.
  const n = async (): Promise<number> =>
    Number((await page.getByTestId('n').textContent())?.replace(/\D/g, ''))
  await expect.poll(n).toBe(before.samplesDrawn + 10)

  const answers = await page.evaluate(async () => {
    const bridge = (window as unknown as PageGlobals).bernoulli!
    const refusal = (call: Promise<unknown>): Promise<unknown> =>
      call.then(
        () => 'resolved',
        (reason: { code?: unknown }) => reason.code
      )
    const reseeded = await bridge.reseed(4242)
    const drawn = await bridge.draw(5)
    await bridge.start()
    return {
      seed: reseeded.seed,
      nextSeq: drawn.nextSeq,
      whileRunning: await refusal(bridge.draw(1)),
      badCount: await refusal(bridge.draw(1001)),
      badSeed: await refusal(bridge.reseed(0))
    }
  })
  expect(answers).toEqual({
    seed: 4242,
    nextSeq: before.state.nextSeq + 15,
    whileRunning: 'E_RUNNING',
    badCount: 'E_BAD_MESSAGE',
    badSeed: 'E_INVALID_SEED'
  })
  expect((await status()).state.seed).toBe(4242)
})

test('Copy puts the reference URL on the clipboard', async () => {
  await app.evaluate(({ clipboard }) => clipboard.writeText('before'))
  // Until the page has asked main where the server is, it shows a guess; wait for the answer.
  await expect(page.getByTestId('reference-url')).toHaveValue(info.referenceUrl)
  const url = info.referenceUrl
  // The clipboard takes writes from a focused document only, as when the user clicks.
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.focus())
  await page.getByTestId('copy-url').click()
  await expect.poll(() => app.evaluate(({ clipboard }) => clipboard.readText())).toBe(url)
})

test('the CSP blocks a WebSocket to any other local port', async () => {
  let connections = 0
  const other: Server = createServer((socket) => {
    connections++
    socket.destroy()
  })
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done))
  const port = (other.address() as AddressInfo).port
  try {
    const outcome = await page.evaluate(
      (target) =>
        new Promise<string>((resolve) => {
          document.addEventListener(
            'securitypolicyviolation',
            (event: SecurityPolicyViolationEvent) =>
              resolve(`blocked ${event.violatedDirective} ${event.blockedURI}`),
            { once: true }
          )
          try {
            const socket = new WebSocket(target)
            socket.onopen = () => resolve('opened')
            // The error event may come before the violation report; give the report a moment.
            socket.onerror = () => setTimeout(() => resolve('error without a CSP report'), 5000)
          } catch (error) {
            resolve(`threw ${(error as Error).name}`)
          }
        }),
      `ws://127.0.0.1:${port}/`
    )
    expect(outcome).toMatch(/^(blocked connect-src|threw SecurityError)/)
    expect(connections).toBe(0)
  } finally {
    await new Promise<void>((done) => other.close(() => done()))
  }
})

test('a second launch exits at once and hands over to the first window', async () => {
  await app.evaluate(({ app }) => {
    const counter = globalThis as { secondInstances?: number }
    counter.secondInstances = 0
    app.on('second-instance', () => (counter.secondInstances = (counter.secondInstances ?? 0) + 1))
  })
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.minimize())
  const second = await launchSecondInstance(userData)
  expect(second.code).toBe(0)
  expect(second.ms).toBeLessThan(15_000)
  await expect
    .poll(() => app.evaluate(() => (globalThis as { secondInstances?: number }).secondInstances))
    .toBe(1)
  const shown = await app.evaluate(({ BrowserWindow }) => {
    const window = BrowserWindow.getAllWindows()[0]
    return { minimized: window?.isMinimized(), visible: window?.isVisible() }
  })
  expect(shown).toEqual({ minimized: false, visible: true })
  // Without a window manager (Xvfb in CI) focus is not tracked; elsewhere it must move.
  if (process.platform !== 'linux') {
    await expect
      .poll(() =>
        app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isFocused())
      )
      .toBe(true)
  }
})

test('closing the window ends the process within seconds: clients get 1001, settings are written', async () => {
  const client = new WebSocket(info.jsonStreamUrl)
  const closed = new Promise<number>((done) => client.once('close', (code) => done(code)))
  await new Promise((done, fail) => client.once('open', done).once('error', fail))
  await page.evaluate(() => (window as unknown as PageGlobals).bernoulli!.setP(0.42))
  const exited = new Promise<number | null>((done) =>
    app.process().once('exit', (code) => done(code))
  )
  const started = Date.now()
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
  expect(await closed).toBe(1001)
  expect(await exited).toBe(0)
  expect(Date.now() - started).toBeLessThan(10_000)
  const saved = JSON.parse(await readFile(join(userData, 'settings.json'), 'utf8'))
  expect(saved).toMatchObject({ p: 0.42 })
})
