// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import StreamControls from '../../../src/renderer/src/components/StreamControls.svelte'
import {
  browserTarget,
  connectedLayers,
  hello,
  settle,
  stateEvent,
  stateOf
} from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

async function setup(
  options: { token?: string | null; running?: boolean; requiresToken?: boolean } = {}
) {
  const ctx = await connectedLayers(
    hello(
      { p: 0.72, intervalMs: 100, running: options.running ?? true },
      options.requiresToken ?? true
    ),
    { target: browserTarget(options.token === undefined ? 'tok' : options.token) }
  )
  render(StreamControls, { context: ctx.context })
  return ctx
}

const sentControl = (ctx: Awaited<ReturnType<typeof setup>>) => ctx.network.last.controlMessages()

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
    const ctx = await setup()
    const input = screen.getByTestId<HTMLInputElement>('p-input')
    for (const bad of ['1.5', '2', '-0.1', 'abc', '']) {
      await fireEvent.input(input, { target: { value: bad } })
      expect(input.getAttribute('aria-invalid'), bad).toBe('true')
      await fireEvent.change(input)
    }
    expect(screen.getByTestId('p-error').textContent).toMatch(/from 0 to 1/)
    expect(sentControl(ctx)).toEqual([])
  })

  it('sends a valid p when the field is committed', async () => {
    const ctx = await setup()
    const input = screen.getByTestId<HTMLInputElement>('p-input')
    await fireEvent.input(input, { target: { value: '0.3' } })
    expect(input.getAttribute('aria-invalid')).toBe('false')
    expect(screen.getByTestId('p-error').textContent?.trim()).toBe('')
    await fireEvent.change(input)
    expect(sentControl(ctx)).toEqual([{ type: 'set', p: 0.3, id: 2, token: 'tok' }])
  })

  it('changes p once per slider drag: only on release, however far it moved', async () => {
    const ctx = await setup()
    const slider = screen.getByTestId<HTMLInputElement>('p-slider')
    await fireEvent.pointerDown(slider)
    for (let step = 71; step >= 28; step--)
      await fireEvent.input(slider, { target: { value: String(step / 100) } })
    expect(sentControl(ctx)).toEqual([])
    expect(slider.getAttribute('aria-valuetext')).toBe('p = 0.28')
    await fireEvent.change(slider, { target: { value: '0.28' } })
    expect(sentControl(ctx).map((m) => m.p)).toEqual([0.28])
  })

  it('coalesces keyboard steps on the slider into one change', async () => {
    const ctx = await setup()
    const slider = screen.getByTestId<HTMLInputElement>('p-slider')
    for (const value of ['0.71', '0.7', '0.69']) {
      await fireEvent.keyDown(slider, { key: 'ArrowLeft' })
      await fireEvent.input(slider, { target: { value } })
      await fireEvent.change(slider, { target: { value } })
    }
    expect(sentControl(ctx)).toEqual([])
    await vi.advanceTimersByTimeAsync(400)
    expect(sentControl(ctx).map((m) => m.p)).toEqual([0.69])
  })

  it('marks an invalid interval and never sends it; presets apply at once', async () => {
    const ctx = await setup()
    const input = screen.getByTestId<HTMLInputElement>('interval-input')
    await fireEvent.input(input, { target: { value: '0' } })
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('interval-error').textContent).toMatch(/1 to 60000/)
    await fireEvent.change(input)
    expect(sentControl(ctx)).toEqual([])
    await fireEvent.click(screen.getByTestId('interval-preset-10'))
    expect(sentControl(ctx)).toEqual([{ type: 'set', intervalMs: 10, id: 2, token: 'tok' }])
    expect(input.getAttribute('aria-invalid')).toBe('false')
  })

  it('swaps Start and Stop in one button that keeps the focus', async () => {
    const ctx = await setup({ running: true })
    expect(screen.queryByTestId('start')).toBeNull()
    const button = screen.getByTestId<HTMLButtonElement>('stop')
    button.focus()
    await fireEvent.click(button)
    expect(sentControl(ctx)).toEqual([{ type: 'stop', id: 2, token: 'tok' }])
    ctx.network.last.receive({ type: 'ack', id: 2, state: stateOf({ running: false }) })
    await settle()
    const start = screen.getByTestId<HTMLButtonElement>('start')
    expect(start).toBe(button)
    expect(start.textContent).toBe('Start')
    expect(document.activeElement).toBe(start)
    await fireEvent.click(start)
    expect(sentControl(ctx)[1]).toEqual({ type: 'start', id: 3, token: 'tok' })
  })

  it('offers Draw 1 and Draw 10 only while stopped', async () => {
    const ctx = await setup({ running: false })
    const one = screen.getByTestId<HTMLButtonElement>('draw-1')
    const ten = screen.getByTestId<HTMLButtonElement>('draw-10')
    expect([one.disabled, ten.disabled]).toEqual([false, false])
    await fireEvent.click(one)
    await fireEvent.click(ten)
    expect(sentControl(ctx)).toEqual([
      { type: 'draw', count: 1, id: 2, token: 'tok' },
      { type: 'draw', count: 10, id: 3, token: 'tok' }
    ])
    ctx.network.last.receive({
      type: 'state',
      change: 'running',
      state: stateOf({ running: true })
    })
    await settle()
    expect([one.disabled, ten.disabled]).toEqual([true, true])
  })

  it('shows a server refusal in the server’s words', async () => {
    const ctx = await setup()
    await fireEvent.click(screen.getByTestId('interval-preset-1'))
    ctx.network.last.receive({
      type: 'error',
      code: 'E_RATE_LIMITED',
      message: 'too many control messages',
      id: 2
    })
    await settle()
    expect(screen.getByTestId('control-error').textContent).toBe(
      'too many control messages (E_RATE_LIMITED)'
    )
  })

  it('is read-only without the token, says why, and takes a pasted one', async () => {
    const ctx = await setup({ token: null })
    expect(screen.getByTestId('read-only').textContent).toMatch(/no control token/)
    for (const id of [
      'p-slider',
      'p-input',
      'interval-input',
      'stop',
      'interval-preset-100',
      'draw-1'
    ]) {
      expect((screen.getByTestId(id) as HTMLInputElement | HTMLButtonElement).disabled, id).toBe(
        true
      )
    }
    const input = screen.getByTestId<HTMLInputElement>('token-input')
    await fireEvent.input(input, { target: { value: 'not a token' } })
    await fireEvent.submit(input.closest('form')!)
    await settle()
    expect(screen.getByTestId('token-error').textContent).toMatch(/without spaces/)
    await fireEvent.input(input, { target: { value: 'garbage-123' } })
    await fireEvent.submit(input.closest('form')!)
    ctx.network.last.answerAuth({ code: 'E_UNAUTHORIZED', message: 'wrong token' })
    await settle()
    expect(screen.getByTestId('token-error').textContent).toMatch(/does not steer/)
    await fireEvent.input(input, { target: { value: 'the-right-one' } })
    await fireEvent.submit(input.closest('form')!)
    ctx.network.last.answerAuth()
    await settle()
    expect(screen.queryByTestId('read-only')).toBeNull()
    expect(screen.getByTestId<HTMLButtonElement>('stop').disabled).toBe(false)
  })

  it('after a restart with a new token, says the old one no longer steers', async () => {
    const ctx = await setup()
    ctx.network.last.drop()
    await vi.advanceTimersByTimeAsync(250)
    ctx.network.last.accept()
    ctx.network.last.receive(hello({}, true, 'run-2'))
    ctx.network.last.answerAuth({ code: 'E_UNAUTHORIZED', message: 'wrong token' })
    await settle()
    expect(screen.getByTestId('read-only').textContent).toMatch(/server restarted/)
    expect(screen.getByTestId<HTMLButtonElement>('stop').disabled).toBe(true)
    expect(screen.getByTestId('token-input')).toBeTruthy()
  })

  it('while the server replays a file, offers only Start and Stop and says why', async () => {
    const ctx = await connectedLayers(
      hello({
        p: null,
        running: true,
        seed: null,
        source: { kind: 'replay', file: '/data/run.csv', speed: 10 }
      }),
      { target: browserTarget('tok') }
    )
    render(StreamControls, { context: ctx.context })
    for (const id of ['p-slider', 'p-input', 'interval-input', 'interval-preset-100', 'draw-1'])
      expect((screen.getByTestId(id) as HTMLInputElement).disabled, id).toBe(true)
    expect(screen.getByTestId<HTMLInputElement>('p-input').value).toBe('')
    expect(screen.getByTestId<HTMLButtonElement>('stop').disabled).toBe(false)
    expect(screen.getByTestId('source-note').textContent).toMatch(
      /replay of run\.csv at 10× its pace.*only Start and Stop/s
    )
  })

  it('reseeds with the seed typed, or a random one when the field is blank; refuses others', async () => {
    const ctx = await setup()
    ctx.network.last.receive(stateEvent('running', { running: true, seed: 7 }))
    await settle()
    expect(screen.getByText(/^Now 7:/)).toBeTruthy()
    const input = screen.getByTestId<HTMLInputElement>('seed-input')
    const form = input.closest('form')!
    for (const bad of ['0', '-3', '1.5', '4294967296', 'abc']) {
      await fireEvent.input(input, { target: { value: bad } })
      await fireEvent.submit(form)
      expect(input.getAttribute('aria-invalid'), bad).toBe('true')
    }
    expect(screen.getByTestId('seed-error').textContent).toMatch(/from 1 to 4294967295/)
    expect(sentControl(ctx)).toEqual([])

    await fireEvent.input(input, { target: { value: ' 42 ' } })
    expect(input.getAttribute('aria-invalid')).toBe('false')
    await fireEvent.click(screen.getByTestId('reseed'))
    expect(sentControl(ctx)).toEqual([{ type: 'reseed', seed: 42, id: 2, token: 'tok' }])
    ctx.network.last.receive(stateEvent('seed', { seed: 42 }))
    ctx.network.last.receive({ type: 'ack', id: 2, state: stateOf({ seed: 42 }) })
    await settle()
    expect(input.value).toBe('')
    expect(screen.getByText(/^Now 42:/)).toBeTruthy()

    await fireEvent.submit(form)
    expect(sentControl(ctx)[1]).toEqual({ type: 'reseed', id: 3, token: 'tok' })
  })
})
