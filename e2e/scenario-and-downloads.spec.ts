import { readFile } from 'node:fs/promises'
import { expect, test } from '@playwright/test'
import { startHeadlessServer, type HeadlessServer } from './support/headless-server'
import { count } from './support/stream-readers'

let server: HeadlessServer | null = null

test.afterEach(async () => {
  await server?.stop()
  server = null
})

const estimateLegend = 'Estimate chart legend'

test('a scenario loaded from a file shows its steps and progress, and its changes are marked on the estimate chart', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '1', '--p', '0.5'])
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')

  // A refusal names the file, the step and the reason, and nothing starts.
  await page.getByTestId('scenario-file').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"steps":[{"at":0,"p":0.9},{"at":2,"p":1.5}]}')
  })
  await expect(page.getByTestId('scenario-error')).toContainText('bad.json')
  await expect(page.getByTestId('scenario-error')).toContainText('step 2')
  await expect(page.getByTestId('scenario')).toHaveCount(0)

  const scenario = {
    unit: 'samples',
    steps: [
      { at: 0, p: 0.9 },
      { at: 400, p: 0.1 }
    ]
  }
  await page.getByTestId('scenario-file').setInputFiles({
    name: 'change.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario))
  })
  await expect(page.getByTestId('scenario-error')).toHaveText('')
  await expect(page.getByTestId('scenario-name')).toHaveText('change.json')
  const steps = page.getByTestId('scenario-steps').locator('li')
  await expect(steps).toHaveText(['at 0 samples: p = 0.9', 'at 400 samples: p = 0.1'])
  // Where the stream is: the second step once 400 samples were drawn under the scenario.
  await expect(page.getByTestId('scenario-progress')).toHaveText('finished (2 steps)', {
    timeout: 30_000
  })
  await expect(page.getByTestId('true-p')).toHaveText('0.1')

  const log = page.getByTestId('change-log')
  await expect(log).toContainText('scenario change.json loaded (2 steps)')
  await expect(log).toContainText('p 0.9 → 0.1 (scenario change.json, step 2 of 2)')
  const legend = page.getByRole('list', { name: estimateLegend })
  await expect(legend).toContainText('scenario loaded or ended')
  await expect(legend).toContainText('p changed')

  await page.getByTestId('scenario-remove').click()
  await expect(page.getByTestId('scenario')).toHaveCount(0)
  await expect(log).toContainText('scenario change.json removed')
})

test('the samples the page counted download as a recording, and the posterior history as CSV', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '5', '--p', '0.3', '--seed', '7'])
  await page.goto(server.uiUrl)
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live')
  await expect.poll(() => count(page, 'n'), { timeout: 30_000 }).toBeGreaterThanOrEqual(50)
  await page.getByTestId('stop').click()
  // Stopped (the server's ack came after its last samples): the page's n no longer moves.
  await expect(page.getByTestId('start')).toBeVisible()

  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-samples-csv').click()
  ])
  expect(csvDownload.suggestedFilename()).toMatch(/^bernoulli-.+-samples\.csv$/)
  const csv = (await readFile(await csvDownload.path(), 'utf8')).trimEnd().split('\n')
  expect(csv[0]).toMatch(/^# bernoulli-stream recording version=1 .*seed=7 source=sampler/)
  expect(csv[1]).toBe('seq,time,value,p')
  const rows = csv.slice(2).map((line) => line.split(','))
  const n = rows.length
  expect(n).toBeGreaterThanOrEqual(50)
  await expect.poll(() => count(page, 'n')).toBe(n)
  expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: n }, (_, i) => i + 1))
  expect(new Set(rows.map((r) => r[3]))).toEqual(new Set(['0.3']))

  const [historyDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-history').click()
  ])
  const history = (await readFile(await historyDownload.path(), 'utf8')).trimEnd().split('\n')
  expect(history[0]).toMatch(/^n,all_alpha,all_beta,all_mean,all_lower95,all_upper95,/)
  expect(Number(history.at(-1)?.split(',')[0])).toBe(n)
})
