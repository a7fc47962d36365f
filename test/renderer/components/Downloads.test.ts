// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import RawStrip from '../../../src/renderer/src/components/RawStrip.svelte'
import { HISTORY_COLUMNS } from '../../../src/renderer/src/posterior/page-export'
import { connectedLayers, hello, samples } from '../helpers/fake-stream'

let saved: Array<{ name: string; blob: Blob }>
let clicks: string[]

beforeEach(() => {
  vi.useFakeTimers()
  saved = []
  clicks = []
  const blobs = new Map<string, Blob>()
  let next = 0
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    const url = `blob:test/${next++}`
    blobs.set(url, blob as Blob)
    return url
  }
  URL.revokeObjectURL = (url: string) => void blobs.delete(url)
  // jsdom does not download: record what the link would have saved.
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    clicks.push(this.download)
    const blob = blobs.get(this.href)
    if (blob) saved.push({ name: this.download, blob })
  }
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

async function streamed(values: Array<0 | 1>) {
  const ctx = await connectedLayers(hello({ nextSeq: 1, p: 0.2, seed: 42 }, true, 'run-abc'))
  render(RawStrip, { context: ctx.context })
  ctx.network.last.receive(samples(1, values))
  ctx.frames.run()
  await vi.advanceTimersByTimeAsync(0)
  return ctx
}

describe('Downloads', () => {
  it('offers nothing to download before the first sample', async () => {
    await connectedLayers(hello()).then((ctx) => render(RawStrip, { context: ctx.context }))
    expect(screen.getByTestId<HTMLButtonElement>('download-samples-csv').disabled).toBe(true)
    expect(screen.getByTestId<HTMLButtonElement>('download-samples-ndjson').disabled).toBe(true)
    expect(screen.getByTestId('download-held').textContent).toMatch(/no samples/)
  })

  it('saves the samples the page counted as CSV and NDJSON, and the posterior history', async () => {
    await streamed([1, 0, 1, 1])
    expect(screen.getByTestId('download-held').textContent).toMatch(/newest 4 samples/)

    await fireEvent.click(screen.getByTestId('download-samples-csv'))
    await fireEvent.click(screen.getByTestId('download-samples-ndjson'))
    await fireEvent.click(screen.getByTestId('download-history'))
    expect(clicks).toEqual([
      'bernoulli-run-abc-samples.csv',
      'bernoulli-run-abc-samples.ndjson',
      'bernoulli-run-abc-posterior.csv'
    ])
    const [csv, ndjson, history] = await Promise.all(saved.map((s) => s.blob.text()))
    expect(csv?.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(
        /^# bernoulli-stream recording version=1 run=run-abc .*seed=42 source=sampler/
      ),
      'seq,time,value,p',
      `1,${1e12 + 1},1,0.2`
    ])
    expect(csv?.trimEnd().split('\n')).toHaveLength(6)
    const lines = (ndjson ?? '')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines[0]).toMatchObject({ recording: 'bernoulli-stream', run: 'run-abc', seed: 42 })
    expect(lines.slice(1).map((l) => [l.seq, l.value, l.p])).toEqual([
      [1, 1, 0.2],
      [2, 0, 0.2],
      [3, 1, 0.2],
      [4, 1, 0.2]
    ])
    expect(saved[0]?.blob.type).toBe('text/csv')
    const rows = (history ?? '').trimEnd().split('\n')
    expect(rows[0]).toBe(HISTORY_COLUMNS)
    expect(rows.at(-1)?.split(',')[0]).toBe('4')
  })
})
