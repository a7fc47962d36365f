import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '@playwright/test'
import { startHeadlessServer, type HeadlessServer } from './support/headless-server'

let server: HeadlessServer | null = null
let foreignSite: Server | null = null

test.afterEach(async () => {
  await server?.stop()
  server = null
  await new Promise<void>((resolve) =>
    foreignSite ? foreignSite.close(() => resolve()) : resolve()
  )
  foreignSite = null
})

/** A web page on another origin (another port), as any site a user might have open. */
async function startForeignSite(): Promise<string> {
  foreignSite = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' })
    res.end('<!doctype html><title>some other site</title><p>nothing to see</p>')
  })
  await new Promise<void>((resolve) => foreignSite!.listen(0, '127.0.0.1', resolve))
  return `http://localhost:${(foreignSite.address() as AddressInfo).port}/`
}

test('a page on another origin can read the stream but cannot steer it, even holding the token', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '10'])
  await page.goto(await startForeignSite())
  const replies = await page.evaluate(
    async ({ port, token }) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`)
      const seen: Array<{ type: string; code?: string }> = []
      ws.onmessage = (e) => seen.push(JSON.parse(e.data as string))
      await new Promise((resolve) => (ws.onopen = resolve))
      ws.send(JSON.stringify({ type: 'set', p: 0.01, id: 1, token }))
      ws.send(JSON.stringify({ type: 'stop', id: 2, token }))
      ws.send(JSON.stringify({ type: 'set', intervalMs: 1, id: 3 }))
      await new Promise((resolve) => setTimeout(resolve, 500))
      ws.close()
      return seen
    },
    { port: server.port, token: server.token }
  )
  expect(replies.some((m) => m.type === 'samples')).toBe(true)
  const errors = replies.filter((m) => m.type === 'error').map((m) => m.code)
  expect(errors).toEqual(['E_FORBIDDEN_ORIGIN', 'E_FORBIDDEN_ORIGIN', 'E_FORBIDDEN_ORIGIN'])
  expect(replies.some((m) => m.type === 'ack')).toBe(false)
  const status = (await (await fetch(`${server.httpUrl}/status`)).json()) as {
    state: { p: number; running: boolean; intervalMs: number }
  }
  expect(status.state).toMatchObject({ p: 0.72, running: true, intervalMs: 10 })
})

test('the browser-console clients of the README and docs/protocol.md receive samples', async ({
  page
}) => {
  server = await startHeadlessServer(['--interval', '10'])
  await page.goto(await startForeignSite())
  const result = await page.evaluate(async (port) => {
    // README: new WebSocket('ws://localhost:8888').onmessage = (e) => console.log(e.data)
    const reference: string[] = []
    const ref = new WebSocket(`ws://localhost:${port}`)
    ref.onmessage = (e) => reference.push(e.data as string)
    // docs/protocol.md: the JSON snippet keeping a Beta(2, 2) posterior
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`)
    let a = 2
    let b = 2
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data as string) as { type: string; values: number[] }
      if (msg.type === 'samples')
        for (const v of msg.values) {
          a += v
          b += 1 - v
        }
    }
    // docs/protocol.md: one-way EventSource
    const events: number[][] = []
    const source = new EventSource(`http://127.0.0.1:${port}/v1/events`)
    source.addEventListener('samples', (e) =>
      events.push((JSON.parse((e as MessageEvent).data as string) as { values: number[] }).values)
    )
    await new Promise((resolve) => setTimeout(resolve, 1500))
    ref.close()
    ws.close()
    source.close()
    return { reference, n: a + b - 4, events: events.length }
  }, server.port)
  expect(result.reference.length).toBeGreaterThan(20)
  expect(result.reference.every((f) => f === '0' || f === '1')).toBe(true)
  expect(result.n).toBeGreaterThan(20)
  expect(result.events).toBeGreaterThan(5)
})
