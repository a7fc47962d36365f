// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import PriorControls from '../../../src/renderer/src/components/PriorControls.svelte'
import { PosteriorTracker } from '../../../src/renderer/src/state/posterior.svelte'
import { ManualFrames } from '../helpers/fake-stream'

afterEach(() => cleanup())

function setup() {
  const frames = new ManualFrames()
  const tracker = new PosteriorTracker({ requestFrame: frames.request, now: () => 0 })
  render(PriorControls, { props: { tracker } })
  return { tracker, frames }
}

describe('PriorControls', () => {
  it('shows the default prior Beta(2, 2)', () => {
    setup()
    expect(screen.getByTestId<HTMLInputElement>('prior-alpha').value).toBe('2')
    expect(screen.getByTestId<HTMLInputElement>('prior-beta').value).toBe('2')
    expect(screen.getByLabelText('α₀')).toBe(screen.getByTestId('prior-alpha'))
  })

  it('marks an invalid α₀ and never applies it', async () => {
    const { tracker } = setup()
    const alpha = screen.getByTestId<HTMLInputElement>('prior-alpha')
    await fireEvent.input(alpha, { target: { value: '-1' } })
    expect(alpha.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByTestId('prior-alpha-error').textContent).toMatch(/positive/)
    await fireEvent.change(alpha)
    await fireEvent.input(alpha, { target: { value: '0' } })
    await fireEvent.change(alpha)
    expect(tracker.prior).toEqual({ alpha: 2, beta: 2 })
  })

  it('applies a valid β₀ and keeps α₀', async () => {
    const { tracker } = setup()
    const beta = screen.getByTestId<HTMLInputElement>('prior-beta')
    await fireEvent.input(beta, { target: { value: '0.5' } })
    await fireEvent.change(beta)
    expect(tracker.prior).toEqual({ alpha: 2, beta: 0.5 })
    expect(beta.getAttribute('aria-invalid')).toBe('false')
  })

  it('resets the posterior counts, keeping the prior', async () => {
    const { tracker } = setup()
    tracker.setPrior(3, 3)
    tracker.addSamples([1, 0, 1], [1, 2, 3])
    tracker.flush()
    await fireEvent.click(screen.getByTestId('reset'))
    tracker.flush()
    expect(tracker.snapshot.trials).toBe(0)
    expect(tracker.prior).toEqual({ alpha: 3, beta: 3 })
  })
})
