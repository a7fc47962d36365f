// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ExternalClients from '../../../src/renderer/src/components/ExternalClients.svelte'
import NumbersPanel from '../../../src/renderer/src/components/NumbersPanel.svelte'
import RawStrip from '../../../src/renderer/src/components/RawStrip.svelte'
import { summarizeBeta } from '../../../src/shared/posterior/beta-summary'
import { connectedLayers, hello, samples } from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

async function streamed(values: Array<0 | 1>) {
  const ctx = await connectedLayers(hello({ nextSeq: 1, p: 0.2 }))
  ctx.network.last.receive(samples(1, values))
  ctx.frames.run()
  await vi.advanceTimersByTimeAsync(0)
  return ctx
}

const flipped = (n: number, ones: number) =>
  Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0) as 0 | 1)

describe('NumbersPanel', () => {
  it('shows full memory only by default, with a Beta(…) free of thousands commas', async () => {
    const ctx = await streamed(flipped(15_000, 3_000))
    render(NumbersPanel, { context: ctx.context })
    expect(screen.getByTestId('n').textContent).toBe('15,000')
    expect(screen.getByTestId('successes').textContent).toBe('3,000')
    expect(screen.getByTestId('true-p').textContent).toBe('0.2')
    expect(screen.getByTestId('alpha').textContent).toBe('3\u202f002')
    expect(screen.getByTestId('beta').textContent).toBe('12\u202f002')
    const mean = summarizeBeta(3002, 12002).mean
    expect(Number(screen.getByTestId('mean').textContent)).toBeCloseTo(mean, 4)
    expect(screen.getByTestId('p-above-half').textContent?.trim()).toBe('< 0.0001')
    expect(screen.queryByTestId('tracking-mean')).toBeNull()
  })

  it('shows the tracking posterior beside full memory once switched on, with its effective n', async () => {
    const ctx = await streamed([...flipped(5000, 3600), ...flipped(400, 80)])
    ctx.settings.setMemory('window')
    ctx.frames.run()
    render(NumbersPanel, { context: ctx.context })
    const window = summarizeBeta(2 + 0, 2 + 200) // the last 200 samples are all 0s
    expect(Number(screen.getByTestId('tracking-mean').textContent)).toBeCloseTo(window.mean, 3)
    expect(screen.getByTestId('tracking-ci').textContent).toMatch(/^\[0\.0\d+, 0\.0\d+\]$/)
    expect(screen.getByTestId('tracking-ess').textContent).toBe('200')
    expect(screen.getByText('window (last 200)')).toBeTruthy()
    expect(Number(screen.getByTestId('mean').textContent)).toBeGreaterThan(0.6) // full memory lags
  })
})

describe('RawStrip', () => {
  it('shows the newest samples with their sequence numbers, and the run id', async () => {
    const ctx = await streamed([1, 0, 0, 1, 1])
    render(RawStrip, { context: ctx.context })
    const strip = screen.getByTestId('raw-strip')
    expect(strip.textContent?.replace(/\s+/g, '')).toBe('10011')
    expect(screen.getByText(/sequence numbers 1–5/)).toBeTruthy()
    expect(screen.getByTestId('stream-id').textContent).toBe('run-1')
    expect(screen.queryByTestId('stream-seed')).toBeNull()
  })
})

describe('RawStrip with a seed', () => {
  it('shows the seed of a seeded run beside the run id', async () => {
    const ctx = await connectedLayers(hello({ nextSeq: 1, p: 0.2, seed: 4242 }))
    ctx.network.last.receive(samples(1, [1, 0]))
    ctx.frames.run()
    await vi.advanceTimersByTimeAsync(0)
    render(RawStrip, { context: ctx.context })
    expect(screen.getByTestId('stream-seed').textContent).toBe('4242')
    expect(screen.getByTestId('stream-id').textContent).toBe('run-1')
  })
})

describe('a file source without p', () => {
  it('says the true p is unknown and names the file in the raw strip', async () => {
    const ctx = await connectedLayers(
      hello({ p: null, seed: null, source: { kind: 'follow', file: '/var/log/bits.txt' } })
    )
    ctx.network.last.receive(samples(1, [1, 0]))
    ctx.frames.run()
    render(NumbersPanel, { context: ctx.context })
    render(RawStrip, { context: ctx.context })
    expect(screen.getByTestId('true-p').textContent?.trim()).toBe('unknown')
    expect(screen.getByTestId('stream-source').textContent).toBe('following bits.txt')
    expect(screen.getByTestId('stream-source').getAttribute('title')).toBe('/var/log/bits.txt')
    expect(screen.queryByTestId('stream-seed')).toBeNull()
  })
})

describe('ExternalClients', () => {
  it('says what each Copy button copies, to screen readers too', async () => {
    const ctx = await streamed([1])
    render(ExternalClients, { context: ctx.context })
    expect(screen.getByTestId<HTMLInputElement>('reference-url').value).toBe(
      'ws://127.0.0.1:8888/websocket/'
    )
    expect(screen.getByTestId('copy-url').getAttribute('aria-label')).toBe(
      'Copy the stream address'
    )
    expect(screen.getByTestId('copy-token').getAttribute('aria-label')).toBe(
      'Copy the control token'
    )
    expect(screen.getByTestId<HTMLInputElement>('control-token').value).toBe('tok')
  })
})
