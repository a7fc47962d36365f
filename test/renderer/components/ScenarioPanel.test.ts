// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ScenarioPanel from '../../../src/renderer/src/components/ScenarioPanel.svelte'
import type { ScenarioProgress } from '../../../src/shared/protocol/messages'
import {
  browserTarget,
  connectedLayers,
  FakeScenarioServer,
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

const progress = (over: Partial<ScenarioProgress> = {}): ScenarioProgress => ({
  name: 'change.json',
  unit: 'seconds',
  steps: 2,
  step: 1,
  pass: 1,
  loop: false,
  done: false,
  ...over
})

const plan = {
  name: 'change.json',
  scenario: {
    name: 'change.json',
    description: 'a change point',
    unit: 'seconds',
    loop: false,
    duration: null,
    end: 'hold',
    seed: null,
    steps: [
      { kind: 'set', at: 0, p: 0.9, intervalMs: null },
      { kind: 'set', at: 2, p: 0.1, intervalMs: 20 }
    ]
  },
  progress: progress()
}

async function setup(scenarioServer = new FakeScenarioServer()) {
  const ctx = await connectedLayers(hello({ p: 0.5 }), {
    target: browserTarget('tok'),
    scenarioServer
  })
  render(ScenarioPanel, { context: ctx.context })
  await settle()
  return ctx
}

function choose(file: File): Promise<boolean> {
  const input = screen.getByTestId<HTMLInputElement>('scenario-file')
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  return fireEvent.change(input)
}

describe('ScenarioPanel', () => {
  it('uploads the chosen file with the token and its name, then shows its steps and where the stream is', async () => {
    const server = new FakeScenarioServer()
    const ctx = await setup(server)
    expect(screen.queryByTestId('scenario')).toBeNull()
    server.reply = { type: 'ack', id: null, state: stateOf({ p: 0.9, scenario: progress() }) }
    const text = '{"steps":[{"at":0,"p":0.9},{"at":2,"p":0.1}]}'
    await choose(new File([text], 'change.json', { type: 'application/json' }))
    await settle()
    const put = server.requests.find((r) => r.method === 'PUT')
    expect(put).toEqual({
      url: 'http://127.0.0.1:8888/v1/scenario?name=change.json',
      method: 'PUT',
      headers: { Authorization: 'Bearer tok' },
      body: text
    })
    // The server announces it; the page reads its plan.
    server.document = plan
    ctx.network.last.receive(stateEvent('scenario', { p: 0.9, scenario: progress() }))
    await settle()
    expect(screen.getByTestId('scenario-name').textContent).toBe('change.json')
    expect(screen.getByTestId('scenario-progress').textContent).toBe('step 1 of 2')
    const steps = [...screen.getByTestId('scenario-steps').querySelectorAll('li')]
    expect(steps.map((li) => li.textContent?.trim())).toEqual([
      'at 0 s: p = 0.9',
      'at 2 s: p = 0.1, interval 20 ms'
    ])
    expect(steps.map((li) => li.getAttribute('aria-current'))).toEqual(['step', null])

    ctx.network.last.receive(
      stateEvent('p', { p: 0.1, intervalMs: 20, scenario: progress({ step: 2 }) })
    )
    await settle()
    expect(screen.getByTestId('scenario-progress').textContent).toBe('step 2 of 2')
    const after = [...screen.getByTestId('scenario-steps').querySelectorAll('li')]
    expect(after.map((li) => li.getAttribute('aria-current'))).toEqual([null, 'step'])
  })

  it('shows a refusal with the server’s file, step and reason, and changes nothing', async () => {
    const server = new FakeScenarioServer()
    await setup(server)
    const reason = 'bad.yaml: step 2 (line 5): "p": p must be a number from 0 to 1, got 1.5'
    server.reply = { type: 'error', id: null, code: 'E_BAD_SCENARIO', message: reason }
    await choose(new File(['steps: []'], 'bad.yaml'))
    await settle()
    expect(screen.getByTestId('scenario-error').textContent).toContain(reason)
    expect(screen.queryByTestId('scenario')).toBeNull()
  })

  it('removes the running scenario with DELETE and the token', async () => {
    const server = new FakeScenarioServer()
    server.document = plan
    const ctx = await setup(server)
    ctx.network.last.receive(stateEvent('scenario', { scenario: progress() }))
    await settle()
    server.reply = { type: 'ack', id: null, state: stateOf({ scenario: null }) }
    await fireEvent.click(screen.getByTestId('scenario-remove'))
    await settle()
    expect(server.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      url: 'http://127.0.0.1:8888/v1/scenario',
      headers: { Authorization: 'Bearer tok' }
    })
    server.document = { name: null, scenario: null, progress: null }
    ctx.network.last.receive(stateEvent('scenario', { scenario: null }))
    await settle()
    expect(screen.queryByTestId('scenario')).toBeNull()
  })

  it('is disabled on a read-only page', async () => {
    await connectedLayers(hello(), { target: browserTarget(null) }).then((ctx) =>
      render(ScenarioPanel, { context: ctx.context })
    )
    expect(screen.getByTestId<HTMLInputElement>('scenario-file').disabled).toBe(true)
  })
})
