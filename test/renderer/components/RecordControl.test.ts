// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import RecordControl from '../../../src/renderer/src/components/RecordControl.svelte'
import type { BernoulliBridge } from '../../../src/shared/ipc-contract'
import type { RecordingState } from '../../../src/shared/protocol/messages'
import { browserTarget, connectedLayers, hello, settle, stateEvent } from '../helpers/fake-stream'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

const RECORDING: RecordingState = {
  file: '/home/me/Documents/bernoulli-seed-7.csv',
  format: 'csv',
  fromSeq: 41,
  failed: false
}

function fakeBridge() {
  return {
    recordToFile: vi.fn(async () => null),
    stopRecording: vi.fn(async () => ({}))
  }
}

async function setup(bridge: ReturnType<typeof fakeBridge> | null) {
  const ctx = await connectedLayers(hello({ running: true }), {
    target: { ...browserTarget(), bridge: bridge as unknown as BernoulliBridge | null }
  })
  render(RecordControl, { context: ctx.context })
  return ctx
}

describe('RecordControl', () => {
  it('is not there without the bridge (a browser), unless the server records', async () => {
    const ctx = await setup(null)
    expect(screen.queryByTestId('recording')).toBeNull()
    expect(screen.queryByText('Record to file…')).toBeNull()
    // npm run serve -- --record run.csv: the status, without buttons.
    ctx.network.last.receive(stateEvent('recording', { recording: RECORDING }))
    await settle()
    expect(screen.getByTestId('recording-status').textContent).toMatch(/bernoulli-seed-7\.csv/)
    expect(screen.queryByRole('button')).toBeNull()
  })

  it('asks main to record, then shows the server’s recording and stops it', async () => {
    const bridge = fakeBridge()
    const ctx = await setup(bridge)
    await fireEvent.click(screen.getByTestId('record'))
    expect(bridge.recordToFile).toHaveBeenCalledTimes(1)
    // What the card shows comes from the server's state, as every client sees it.
    expect(screen.queryByTestId('recording-status')).toBeNull()
    ctx.network.last.receive(stateEvent('recording', { recording: RECORDING }))
    await settle()
    expect(screen.getByTestId('recording-status').textContent).toMatch(
      /from #41 on to bernoulli-seed-7\.csv \(CSV\)/
    )
    expect(screen.getByTestId('recording-status').getAttribute('title')).toBe(RECORDING.file)
    await fireEvent.click(screen.getByTestId('stop-recording'))
    expect(bridge.stopRecording).toHaveBeenCalledTimes(1)
    ctx.network.last.receive(stateEvent('recording', { recording: null }))
    await settle()
    expect(screen.getByTestId('record')).toBeTruthy()
  })

  it('says when writing failed, and shows main’s refusal with its code', async () => {
    const bridge = fakeBridge()
    bridge.recordToFile.mockRejectedValueOnce({
      code: 'E_RECORDING_FAILED',
      message: '/mnt/ro/x.ndjson cannot be created: permission denied'
    })
    const ctx = await setup(bridge)
    await fireEvent.click(screen.getByTestId('record'))
    await settle()
    expect(screen.getByTestId('recording-error').textContent).toBe(
      '/mnt/ro/x.ndjson cannot be created: permission denied (E_RECORDING_FAILED)'
    )
    ctx.network.last.receive(
      stateEvent('recording', {
        recording: { ...RECORDING, file: 'C:\\runs\\r.ndjson', failed: true }
      })
    )
    await settle()
    expect(screen.getByTestId('recording-status').textContent).toMatch(
      /Recording to r\.ndjson failed/
    )
    expect(screen.getByTestId('stop-recording')).toBeTruthy()
  })
})
