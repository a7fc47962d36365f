import { describe, expect, it, vi } from 'vitest'
import {
  resolveConnectionTarget,
  resumeUrl
} from '../../../src/renderer/src/stream/connection-target'
import type { BernoulliBridge } from '../../../src/shared/ipc-contract'

describe('resolveConnectionTarget', () => {
  it('uses the page host in a browser', async () => {
    const target = await resolveConnectionTarget(
      undefined,
      { protocol: 'http:', host: '127.0.0.1:8888' },
      'tok'
    )
    expect(target).toEqual({
      jsonStreamUrl: 'ws://127.0.0.1:8888/v1/stream',
      referenceUrl: 'ws://127.0.0.1:8888/websocket/',
      token: 'tok',
      bridge: null
    })
    const secure = await resolveConnectionTarget(
      null,
      { protocol: 'https:', host: 'example.test' },
      null
    )
    expect(secure.jsonStreamUrl).toBe('wss://example.test/v1/stream')
  })

  it('asks the bridge in Electron', async () => {
    const bridge = {
      connectionInfo: vi.fn().mockResolvedValue({
        jsonStreamUrl: 'ws://127.0.0.1:5555/v1/stream',
        referenceUrl: 'ws://localhost:5555/websocket/',
        httpUrl: 'http://127.0.0.1:5555',
        controlToken: 'secret',
        host: '127.0.0.1',
        port: 5555
      })
    } as unknown as BernoulliBridge
    const target = await resolveConnectionTarget(bridge, { protocol: 'file:', host: '' }, null)
    expect(target).toEqual({
      jsonStreamUrl: 'ws://127.0.0.1:5555/v1/stream',
      referenceUrl: 'ws://localhost:5555/websocket/',
      token: 'secret',
      bridge
    })
  })
})

describe('resumeUrl', () => {
  it('adds ?after= (and the run id) only when there is a resume point', () => {
    expect(resumeUrl('ws://h:1/v1/stream', null, null)).toBe('ws://h:1/v1/stream')
    expect(resumeUrl('ws://h:1/v1/stream', 0, null)).toBe('ws://h:1/v1/stream?after=0')
    expect(resumeUrl('ws://h:1/v1/stream', 1234, 'abc')).toBe(
      'ws://h:1/v1/stream?after=1234&stream=abc'
    )
  })
})
