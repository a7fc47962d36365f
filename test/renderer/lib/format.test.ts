import { describe, expect, it } from 'vitest'
import { clientSnippets } from '../../../src/renderer/src/lib/client-snippets'
import {
  decimalsFor,
  formatCount,
  formatInterval,
  formatProbability,
  formatRate
} from '../../../src/renderer/src/lib/format'

describe('format', () => {
  it('formats probabilities without ever showing NaN', () => {
    expect(formatProbability(0.5)).toBe('0.5000')
    expect(formatProbability(NaN)).toBe('—')
    expect(formatProbability(null)).toBe('—')
    expect(formatProbability(2.5e-11)).toBe('2.50e-11')
    expect(formatProbability(0)).toBe('0.0000')
  })

  it('formats counts, rates and intervals', () => {
    expect(formatCount(1234567)).toBe('1,234,567')
    expect(formatRate(9.87)).toBe('9.9')
    expect(formatRate(998.4)).toBe('998')
    expect(formatRate(0)).toBe('0')
    expect(formatInterval(100)).toBe('100 ms')
    expect(formatInterval(2.5)).toBe('2.5 ms')
    expect(formatInterval(1000)).toBe('1 s')
    expect(formatInterval(60000)).toBe('1 min')
  })

  it('shows more decimals as the posterior narrows', () => {
    expect(decimalsFor(0.2)).toBe(3)
    expect(decimalsFor(0.014)).toBe(3)
    expect(decimalsFor(4.5e-4)).toBe(5)
    expect(decimalsFor(1e-12)).toBe(9)
    expect(decimalsFor(0)).toBe(4)
  })
})

describe('clientSnippets', () => {
  it('builds the three reference-dialect snippets', () => {
    const s = clientSnippets('ws://127.0.0.1:8888/websocket/')
    expect(s.websocat).toBe('websocat ws://127.0.0.1:8888/websocket/')
    expect(s.browser).toBe(
      "new WebSocket('ws://127.0.0.1:8888').onmessage = e => console.log(e.data)"
    )
    expect(s.python).toContain('websocket_connect("ws://127.0.0.1:8888/websocket/")')
    expect(s.python).toContain('print(int(msg))')
  })

  it('never throws on an unparsable URL', () => {
    expect(clientSnippets('not a url').websocat).toBe('websocat not a url')
  })
})
