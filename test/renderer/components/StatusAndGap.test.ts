// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import GapNotice from '../../../src/renderer/src/components/GapNotice.svelte'
import StatusBar from '../../../src/renderer/src/components/StatusBar.svelte'
import { hello, makeLayers, samples, settle } from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('StatusBar and GapNotice', () => {
  it('shows connecting, live, and a reconnect countdown in a live region', async () => {
    const ctx = makeLayers()
    render(StatusBar, { context: ctx.context })
    const status = screen.getByTestId('status')
    expect(status.dataset.status).toBe('connecting')
    expect(screen.getByRole('status').textContent).toBe('Connecting…')
    ctx.session.connect()
    await settle()
    ctx.network.last.accept()
    ctx.network.last.receive(hello())
    await settle()
    expect(status.dataset.status).toBe('live')
    expect(screen.getByRole('status').textContent).toBe('Live')
    expect(status.textContent).toContain('bernoulli-stream/0.1.0')
    expect(screen.queryByTestId('exposure')).toBeNull()
    ctx.network.last.drop()
    await settle()
    expect(status.dataset.status).toBe('reconnecting')
    expect(screen.getByTestId('reconnect-countdown').textContent).toBe('in 1 s')
  })

  it('warns when the server is reachable from the network', async () => {
    const ctx = makeLayers()
    render(StatusBar, { context: ctx.context })
    ctx.session.connect()
    await settle()
    ctx.network.last.accept()
    ctx.network.last.receive(hello({}, true, 'run-1', '0.0.0.0'))
    await settle()
    expect(screen.getByTestId('exposure').textContent).toMatch(/Bound to 0.0.0.0/)
  })

  it('shows "samples N–M were lost" for a gap, and history the server no longer held apart', async () => {
    const ctx = makeLayers()
    render(GapNotice, { context: ctx.context })
    expect(screen.queryByTestId('gap-notice')).toBeNull()
    ctx.session.connect()
    await settle()
    ctx.network.last.accept()
    ctx.network.last.receive(hello({ nextSeq: 1200 }))
    ctx.network.last.receive({ type: 'gap', from: 1, to: 1000 })
    ctx.network.last.receive(samples(1001, [1]))
    await settle()
    expect(screen.queryByTestId('gap-notice')).toBeNull()
    expect(screen.getByTestId('history-notice').textContent).toMatch(
      /first 1,000\s+samples have left/
    )
    ctx.network.last.receive(samples(1010, [1]))
    await settle()
    expect(screen.getByTestId('gap-notice').textContent).toMatch(/Samples 1,002–1,009 were lost/)
  })
})
