import { describe, expect, it, vi } from 'vitest'
import {
  guessReferenceUrl,
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
      httpUrl: 'http://127.0.0.1:8888',
      token: 'tok',
      bridge: null
    })
    const secure = await resolveConnectionTarget(
      null,
      { protocol: 'https:', host: 'example.test' },
      null
    )
    expect(secure.jsonStreamUrl).toBe('wss://example.test/v1/stream')
    expect(secure.httpUrl).toBe('https://example.test')
  })

  it('never takes a host from a page that no server served (file://, the desktop’s app://)', async () => {
    for (const location of [
      { protocol: 'app:', host: 'bernoulli' },
      { protocol: 'file:', host: '' }
    ]) {
      const target = await resolveConnectionTarget(null, location, null)
      expect(target.jsonStreamUrl).toBe('ws://127.0.0.1:8888/v1/stream')
      expect(target.httpUrl).toBe('http://127.0.0.1:8888')
      expect(guessReferenceUrl(location)).toBe('ws://localhost:8888/websocket/')
    }
    expect(guessReferenceUrl({ protocol: 'http:', host: '127.0.0.1:9000' })).toBe(
      'ws://127.0.0.1:9000/websocket/'
    )
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
      httpUrl: 'http://127.0.0.1:5555',
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
