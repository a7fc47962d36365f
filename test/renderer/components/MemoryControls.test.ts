// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import MemoryControls from '../../../src/renderer/src/components/MemoryControls.svelte'
import { makeLayers, MemoryStorage } from '../helpers/fake-stream'

afterEach(() => cleanup())

function setup(localStorage: MemoryStorage | null = null) {
  const ctx = makeLayers({ localStorage })
  render(MemoryControls, { context: ctx.context })
  return ctx
}

describe('MemoryControls', () => {
  it('starts with full memory only; the size field is disabled and says so', () => {
    setup()
    expect(screen.getByTestId<HTMLSelectElement>('memory').value).toBe('all')
    const size = screen.getByTestId<HTMLInputElement>('memory-size')
    expect(size.disabled).toBe(true)
    expect(screen.getByText(/counts every sample since the start/)).toBeTruthy()
  })

  it('switches on a window of N samples and takes a valid N only', async () => {
    const { settings } = setup()
    await fireEvent.change(screen.getByTestId('memory'), { target: { value: 'window' } })
    expect(settings.memory).toBe('window')
    const size = screen.getByTestId<HTMLInputElement>('memory-size')
    expect(size.disabled).toBe(false)
    expect(size.value).toBe('200')
    expect(screen.getByLabelText('Window N (samples)')).toBe(size)
    for (const bad of ['0', '1.5', '200000', 'many']) {
      await fireEvent.input(size, { target: { value: bad } })
      expect(size.getAttribute('aria-invalid'), bad).toBe('true')
      await fireEvent.change(size)
    }
    expect(screen.getByTestId('memory-size-error').textContent).toMatch(/2 to 100000/)
    expect(settings.windowSize).toBe(200)
    await fireEvent.input(size, { target: { value: '500' } })
    await fireEvent.change(size)
    expect(settings.windowSize).toBe(500)
    expect(settings.engine.memory.windowSize).toBe(500)
  })

  it('switches on forgetting and takes a valid λ only; the choice persists', async () => {
    const storage = new MemoryStorage()
    const { settings } = setup(storage)
    await fireEvent.change(screen.getByTestId('memory'), { target: { value: 'forgetting' } })
    const size = screen.getByTestId<HTMLInputElement>('memory-size')
    expect(size.value).toBe('0.995')
    expect(screen.getByLabelText('Forgetting factor λ')).toBe(size)
    await fireEvent.input(size, { target: { value: '1.5' } })
    await fireEvent.change(size)
    expect(screen.getByTestId('memory-size-error').textContent).toMatch(/0.5 to 0.9999/)
    expect(settings.forgetting).toBe(0.995)
    await fireEvent.input(size, { target: { value: '0.99' } })
    await fireEvent.change(size)
    expect(settings.forgetting).toBe(0.99)
    expect(screen.getByText(/remembers about 100 samples/)).toBeTruthy()
    cleanup()
    const again = setup(storage)
    expect(again.settings.memory).toBe('forgetting')
    expect(again.settings.forgetting).toBe(0.99)
  })
})
