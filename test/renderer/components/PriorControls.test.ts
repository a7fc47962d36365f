// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import PriorControls from '../../../src/renderer/src/components/PriorControls.svelte'
import { connectedLayers, hello, samples } from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

async function setup() {
  const ctx = await connectedLayers(hello({ nextSeq: 1 }))
  render(PriorControls, { context: ctx.context })
  return ctx
}

describe('PriorControls', () => {
  it('shows the default prior Beta(2, 2)', async () => {
    await setup()
    expect(screen.getByTestId<HTMLInputElement>('prior-alpha').value).toBe('2')
    expect(screen.getByTestId<HTMLInputElement>('prior-beta').value).toBe('2')
    expect(screen.getByLabelText('α₀')).toBe(screen.getByTestId('prior-alpha'))
  })

  it('marks an invalid α₀ and never applies it', async () => {
    const { settings } = await setup()
    const alpha = screen.getByTestId<HTMLInputElement>('prior-alpha')
    await fireEvent.input(alpha, { target: { value: '-1' } })
    expect(alpha.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('prior-alpha-error').textContent).toMatch(/positive/)
    await fireEvent.change(alpha)
    await fireEvent.input(alpha, { target: { value: '0' } })
    await fireEvent.change(alpha)
    expect(settings.prior).toEqual({ alpha: 2, beta: 2 })
  })

  it('applies a valid β₀ and keeps α₀', async () => {
    const { settings } = await setup()
    const beta = screen.getByTestId<HTMLInputElement>('prior-beta')
    await fireEvent.input(beta, { target: { value: '0.5' } })
    await fireEvent.change(beta)
    expect(settings.prior).toEqual({ alpha: 2, beta: 0.5 })
    expect(beta.getAttribute('aria-invalid')).toBe('false')
  })

  it('resets the posterior counts from the next sample on, keeping the prior', async () => {
    const { settings, engine, network, tab } = await setup()
    settings.setPrior(3, 3)
    network.last.receive(samples(1, [1, 0, 1]))
    await fireEvent.click(screen.getByTestId('reset'))
    expect(engine.trials).toBe(0)
    expect(settings.prior).toEqual({ alpha: 3, beta: 3 })
    expect(tab.loadCountStart()).toEqual({ streamId: 'run-1', afterSeq: 3 })
    network.last.receive(samples(4, [1]))
    expect(engine.trials).toBe(1)
  })
})
