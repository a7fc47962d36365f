// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import GapNotice from '../../../src/renderer/src/components/GapNotice.svelte'
import StatusBar from '../../../src/renderer/src/components/StatusBar.svelte'
import { hello, makeClient, samples, settle } from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('StatusBar and GapNotice', () => {
  it('shows connecting, live, and a reconnect countdown in a live region', async () => {
    const { client, network } = makeClient()
    render(StatusBar, { props: { client } })
    const status = screen.getByTestId('status')
    expect(status.dataset.status).toBe('connecting')
    expect(screen.getByRole('status').textContent).toBe('Connecting…')
    client.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello())
    await settle()
    expect(status.dataset.status).toBe('live')
    expect(screen.getByRole('status').textContent).toBe('Live')
    network.last.drop()
    await settle()
    expect(status.dataset.status).toBe('reconnecting')
    expect(screen.getByTestId('reconnect-countdown').textContent).toBe('in 1 s')
  })

  it('shows "samples N–M were lost" for a gap', async () => {
    const { client, network } = makeClient()
    render(GapNotice, { props: { client } })
    expect(screen.queryByTestId('gap-notice')).toBeNull()
    client.connect()
    await settle()
    network.last.accept()
    network.last.receive(hello({ nextSeq: 10 }))
    network.last.receive(samples(20, [1]))
    await settle()
    expect(screen.getByTestId('gap-notice').textContent).toMatch(/Samples 10–19 were lost/)
  })
})
