/** Reading the app and the server from end-to-end tests: shown numbers, /status, the raw stream. */
import { expect, type Page } from '@playwright/test'
import { WebSocket } from 'ws'
import type { ServerStatus, StreamState } from '../../src/shared/protocol/messages'

/** The server's `/status` document. */
export async function statusOf(httpUrl: string): Promise<ServerStatus> {
  return (await (await fetch(`${httpUrl}/status`)).json()) as ServerStatus
}

/** Reads a count shown in the page ("1,234" → 1234). */
export async function count(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? ''
  return Number(text.replace(/[^\d]/g, ''))
}

/** Reads a decimal shown in the page ("0.7245" → 0.7245). */
export async function number(page: Page, testId: string): Promise<number> {
  return Number(((await page.getByTestId(testId).textContent()) ?? '').replace(/[^\d.]/g, ''))
}

/** Reads an interval shown as "[0.344, 0.421]". */
export async function interval(page: Page, testId: string): Promise<[number, number]> {
  const text = (await page.getByTestId(testId).textContent()) ?? ''
  const [lower, upper] = text
    .replace(/[[\]\s]/g, '')
    .split(',')
    .map(Number)
  return [lower as number, upper as number]
}

/** Waits until the page and the server agree the sampler is stopped; returns /status. */
export async function waitForServerIdle(page: Page, httpUrl: string): Promise<ServerStatus> {
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'stopped')
  const status = await statusOf(httpUrl)
  expect(status.state.running).toBe(false)
  return status
}

/** An independent JSON-protocol client: counts every sample and records every state event. */
export interface StreamObserver {
  samples(): number
  ones(): number
  /** `state` events received, oldest first. */
  states(): Array<{ change: string; state: StreamState }>
  /** Sends a control message (with the token) and resolves with the reply. */
  control(body: Record<string, unknown>): Promise<{ type: string; code?: string }>
  close(): void
}

/** Connects a {@link StreamObserver}; resolves once its hello arrived. */
export async function observe(
  httpUrl: string,
  token: string | null = null
): Promise<StreamObserver> {
  const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}/v1/stream`)
  let samples = 0
  let ones = 0
  let nextId = 1
  const states: Array<{ change: string; state: StreamState }> = []
  const waiting = new Map<number, (reply: { type: string; code?: string }) => void>()
  let greeted: () => void = () => {}
  const hello = new Promise<void>((resolve) => (greeted = resolve))
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as {
      type: string
      values?: number[]
      change?: string
      state?: StreamState
      id?: number
      code?: string
    }
    if (message.type === 'hello') greeted()
    if (message.type === 'samples') {
      samples += message.values!.length
      ones += message.values!.reduce((a, b) => a + b, 0)
    }
    if (message.type === 'state') states.push({ change: message.change!, state: message.state! })
    if ((message.type === 'ack' || message.type === 'error') && typeof message.id === 'number') {
      waiting.get(message.id)?.(message)
      waiting.delete(message.id)
    }
  })
  await hello
  return {
    samples: () => samples,
    ones: () => ones,
    states: () => states,
    control: (body) =>
      new Promise((resolve) => {
        const id = nextId++
        waiting.set(id, resolve)
        ws.send(JSON.stringify({ ...body, id, token }))
      }),
    close: () => ws.close()
  }
}
