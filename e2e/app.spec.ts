import { expect, test } from '@playwright/test'
import { startHeadlessServer, type HeadlessServer } from './support/headless-server'
import { count, number, observe, statusOf, waitForServerIdle } from './support/stream-readers'
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy'

let server: HeadlessServer | null = null
let proxy: TcpProxy | null = null

test.afterEach(async () => {
  await proxy?.close()
  proxy = null
  await server?.stop()
  server = null
})

test('shows live posterior charts whose numbers agree with the samples actually sent', async ({
  page
}, testInfo) => {
  server = await startHeadlessServer(['--stopped', '--interval', '10'])
  const observer = await observe(server.httpUrl)
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped')
  // The token travelled in the fragment and was removed from the address bar.
  expect(page.url()).not.toContain('token')

  await page.getByTestId('start').click()
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await expect.poll(() => count(page, 'n'), { timeout: 20_000 }).toBeGreaterThanOrEqual(300)
  await page.getByTestId('stop').click()
  const status = await waitForServerIdle(page, server.httpUrl)

  await expect.poll(() => count(page, 'n')).toBe(status.samplesDrawn)
  await expect.poll(() => observer.samples()).toBe(status.samplesDrawn)
  expect(await count(page, 'successes')).toBe(observer.ones())
  const n = status.samplesDrawn
  const s = observer.ones()
  expect(await count(page, 'alpha')).toBe(2 + s)
  expect(await count(page, 'beta')).toBe(2 + n - s)
  expect(await number(page, 'mean')).toBeCloseTo((2 + s) / (4 + n), 3)
  await expect(page.getByTestId('true-p')).toHaveText('0.72')

  const charts = await page.evaluate(
    () => (globalThis as unknown as { __bernoulliCharts: Record<string, number> }).__bernoulliCharts
  )
  expect(charts.densityPoints).toBeGreaterThanOrEqual(200)
  expect(charts.estimatePoints).toBeGreaterThan(10)
  expect(charts.densityUpdates).toBeGreaterThan(1)

  await page.screenshot({ path: testInfo.outputPath('app.png'), fullPage: true })
  observer.close()
})

test('changing p moves the posterior toward it; the interval changes the rate; stop halts and start resumes', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '5'])
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')

  await page.getByTestId('p-input').fill('0.1')
  await page.getByTestId('p-input').press('Enter')
  await expect(page.getByTestId('true-p')).toHaveText('0.1')
  await expect(page.getByTestId('change-log')).toContainText('0.1')
  await page.getByTestId('reset').click()
  await expect.poll(() => count(page, 'n'), { timeout: 20_000 }).toBeGreaterThanOrEqual(400)
  expect(await number(page, 'mean')).toBeLessThan(0.2)
  expect((await statusOf(server.httpUrl)).state.p).toBe(0.1)

  // Invalid input is flagged next to the field and never sent.
  await page.getByTestId('p-input').fill('1.7')
  await page.getByTestId('p-input').press('Enter')
  await expect(page.getByTestId('p-error')).toBeVisible()
  await expect(page.getByTestId('p-input')).toHaveAttribute('aria-invalid', 'true')
  expect((await statusOf(server.httpUrl)).state.p).toBe(0.1)

  await page.getByTestId('interval-preset-100').click()
  await expect(page.getByTestId('interval')).toContainText('100')
  await expect.poll(() => number(page, 'rate'), { timeout: 15_000 }).toBeLessThan(15)
  await page.getByTestId('interval-preset-10').click()
  await expect.poll(() => number(page, 'rate'), { timeout: 15_000 }).toBeGreaterThan(60)
  expect((await statusOf(server.httpUrl)).state.intervalMs).toBe(10)

  await page.getByTestId('stop').click()
  await waitForServerIdle(page, server.httpUrl)
  const stoppedAt = await count(page, 'n')
  await page.waitForTimeout(500)
  expect(await count(page, 'n')).toBe(stoppedAt)
  await page.getByTestId('start').click()
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await expect.poll(() => count(page, 'n')).toBeGreaterThan(stoppedAt + 20)
})

test('the server going away shows "reconnecting"; when it comes back the app resumes and counts every sample', async ({
  page
}) => {
  // Started stopped, so the app sees every sample the server ever draws.
  server = await startHeadlessServer(['--interval', '5', '--stopped'])
  const port = server.port
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped')
  await page.getByTestId('start').click()
  await expect.poll(() => count(page, 'n')).toBeGreaterThan(50)
  await page.getByTestId('stop').click()
  const firstRun = await waitForServerIdle(page, server.httpUrl)
  await expect.poll(() => count(page, 'n')).toBe(firstRun.samplesDrawn)

  await server.stop()
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'reconnecting')
  await expect(page.getByTestId('reconnect-countdown')).toBeVisible()

  server = await startHeadlessServer(['--interval', '5', '--stopped'], port)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped', {
    timeout: 20_000
  })
  await page.getByTestId('start').click()
  await expect.poll(() => count(page, 'n')).toBeGreaterThan(firstRun.samplesDrawn + 50)
  await page.getByTestId('stop').click()
  const secondRun = await waitForServerIdle(page, server.httpUrl)
  await expect.poll(() => count(page, 'n')).toBe(firstRun.samplesDrawn + secondRun.samplesDrawn)
})

test('a network drop loses nothing: after reconnecting, n equals everything the server sent', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '2', '--stopped'])
  proxy = await startTcpProxy(server.port)
  await page.goto(`http://127.0.0.1:${proxy.port}/#token=${server.token}`)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped')
  await page.getByTestId('start').click()
  await expect.poll(() => count(page, 'n')).toBeGreaterThan(100)
  for (let drop = 0; drop < 3; drop++) {
    // Cut every connection; the sampler keeps drawing while the app is away.
    proxy.cutAll()
    await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'reconnecting')
    await page.waitForTimeout(300)
    await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live', {
      timeout: 20_000
    })
  }
  await page.getByTestId('stop').click()
  const status = await waitForServerIdle(page, server.httpUrl)
  await expect.poll(() => count(page, 'n')).toBe(status.samplesDrawn)
  await expect(page.getByTestId('gap-notice')).toHaveCount(0)
})

test('without the token the UI is read-only and says so', async ({ page }) => {
  server = await startHeadlessServer(['--interval', '10'])
  await page.goto(`${server.httpUrl}/`)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await expect(page.getByTestId('read-only')).toBeVisible()
  await expect(page.getByTestId('stop')).toBeDisabled()
  await expect.poll(() => count(page, 'n')).toBeGreaterThan(10)
})

test('shows the control token for scripts, and warns when the server is bound beyond loopback', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '50', '--host', '0.0.0.0'])
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await expect(page.getByTestId('exposure')).toContainText(
    'Bound to 0.0.0.0: reachable from your network'
  )
  await expect(page.getByTestId('control-token')).toHaveValue(server.token)
  await expect(page.getByTestId('control-token')).toHaveAttribute('type', 'password')
})

test('on loopback there is no exposure warning', async ({ page }) => {
  server = await startHeadlessServer(['--interval', '50'])
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await expect(page.getByTestId('exposure')).toHaveCount(0)
})
