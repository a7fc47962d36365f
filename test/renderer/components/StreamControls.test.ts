// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import StreamControls from '../../../src/renderer/src/components/StreamControls.svelte'
import { browserTarget, hello, makeClient, settle } from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

async function setup(options: { token?: string | null; running?: boolean } = {}) {
  const ctx = makeClient({}, browserTarget(options.token === undefined ? 'tok' : options.token))
  ctx.client.connect()
  await settle()
  ctx.network.last.accept()
  ctx.network.last.receive(hello({ p: 0.72, intervalMs: 100, running: options.running ?? true }))
  render(StreamControls, { props: { client: ctx.client } })
  return ctx
}

describe('StreamControls', () => {
  it('shows the server’s p and interval', async () => {
    await setup()
    expect(screen.getByTestId<HTMLInputElement>('p-input').value).toBe('0.72')
    expect(screen.getByTestId<HTMLInputElement>('p-slider').value).toBe('0.72')
    expect(screen.getByTestId<HTMLInputElement>('interval-input').value).toBe('100')
    expect(screen.getByLabelText('Interval between samples (ms)')).toBe(
      screen.getByTestId('interval-input')
    )
    expect(screen.getByLabelText('Probability of a 1 (p)')).toBe(screen.getByTestId('p-slider'))
  })

  it('marks an invalid p and never sends it', async () => {
    const { network } = await setup()
    const input = screen.getByTestId<HTMLInputElement>('p-input')
    await fireEvent.input(input, { target: { value: '1.5' } })
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('p-error').textContent).toMatch(/from 0 to 1/)
    await fireEvent.change(input)
    await fireEvent.input(input, { target: { value: '' } })
    await fireEvent.change(input)
    expect(network.last.sent).toEqual([])
  })

  it('sends a valid p when the field is committed', async () => {
    const { network } = await setup()
    const input = screen.getByTestId<HTMLInputElement>('p-input')
    await fireEvent.input(input, { target: { value: '0.3' } })
    expect(input.getAttribute('aria-invalid')).toBe('false')
    expect(screen.getByTestId('p-error').textContent?.trim()).toBe('')
    await fireEvent.change(input)
    expect(network.last.sentMessages()).toEqual([{ type: 'set', p: 0.3, id: 1, token: 'tok' }])
  })

  it('sends while the slider moves, newest value last, one request at a time', async () => {
    const { network } = await setup()
    const slider = screen.getByTestId<HTMLInputElement>('p-slider')
    await fireEvent.input(slider, { target: { value: '0.5' } })
    await fireEvent.input(slider, { target: { value: '0.55' } })
    await fireEvent.input(slider, { target: { value: '0.6' } })
    expect(network.last.sentMessages().map((m) => m.p)).toEqual([0.5])
    network.last.receive({
      type: 'ack',
      id: 1,
      state: { p: 0.5, intervalMs: 100, running: true, nextSeq: 1 }
    })
    await settle()
    expect(network.last.sentMessages().map((m) => m.p)).toEqual([0.5, 0.6])
  })

  it('marks an invalid interval and never sends it; presets apply at once', async () => {
    const { network } = await setup()
    const input = screen.getByTestId<HTMLInputElement>('interval-input')
    await fireEvent.input(input, { target: { value: '0' } })
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('interval-error').textContent).toMatch(/1 to 60000/)
    await fireEvent.change(input)
    expect(network.last.sent).toEqual([])
    await fireEvent.click(screen.getByTestId('interval-preset-10'))
    expect(network.last.sentMessages()).toEqual([
      { type: 'set', intervalMs: 10, id: 1, token: 'tok' }
    ])
    expect(input.getAttribute('aria-invalid')).toBe('false')
  })

  it('offers Stop while running and Start while stopped', async () => {
    const { network } = await setup({ running: true })
    expect(screen.getByTestId<HTMLButtonElement>('start').disabled).toBe(true)
    await fireEvent.click(screen.getByTestId('stop'))
    expect(network.last.sentMessages()).toEqual([{ type: 'stop', id: 1, token: 'tok' }])
    network.last.receive({
      type: 'ack',
      id: 1,
      state: { p: 0.72, intervalMs: 100, running: false, nextSeq: 1 }
    })
    await settle()
    expect(screen.getByTestId<HTMLButtonElement>('stop').disabled).toBe(true)
    await fireEvent.click(screen.getByTestId('start'))
    expect(network.last.sentMessages()[1]).toEqual({ type: 'start', id: 2, token: 'tok' })
  })

  it('shows a server refusal', async () => {
    const { network } = await setup()
    await fireEvent.click(screen.getByTestId('interval-preset-1'))
    network.last.receive({
      type: 'error',
      code: 'E_RATE_LIMITED',
      message: 'too many control messages',
      id: 1
    })
    await settle()
    expect(screen.getByTestId('control-error').textContent).toBe(
      'too many control messages (E_RATE_LIMITED)'
    )
  })

  it('is read-only, with the reason, without the token the server requires', async () => {
    await setup({ token: null })
    expect(screen.getByTestId('read-only').textContent).toMatch(/#token=/)
    for (const id of [
      'p-slider',
      'p-input',
      'interval-input',
      'start',
      'stop',
      'interval-preset-100'
    ]) {
      expect((screen.getByTestId(id) as HTMLInputElement | HTMLButtonElement).disabled).toBe(true)
    }
  })
})
