import { describe, expect, it } from 'vitest'
import { clientSnippets } from '../../../src/renderer/src/components/client-snippets'
import {
  decimalsFor,
  formatBetaShape,
  formatCount,
  formatEffectiveN,
  formatInterval,
  formatProbAboveHalf,
  formatProbability,
  formatRate
} from '../../../src/renderer/src/components/format'
import { summarizeBeta } from '../../../src/shared/posterior/beta-summary'

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

  it('never claims certainty for P(p > ½): "> 0.9999" and "< 0.0001" at the extremes', () => {
    expect(formatProbAboveHalf(summarizeBeta(12113, 4606))).toBe('> 0.9999')
    expect(formatProbAboveHalf(summarizeBeta(4606, 12113))).toBe('< 0.0001')
    expect(formatProbAboveHalf(summarizeBeta(2, 2))).toBe('0.5000')
    expect(formatProbAboveHalf(summarizeBeta(30, 20))).toMatch(/^0\.9\d{3}$/)
    const approximate = summarizeBeta(1e9, 1e9 + 10)
    expect(approximate.probAboveHalfApproximate).toBe(true)
    expect(formatProbAboveHalf(approximate)).toMatch(/^≈ 0\.\d{4}$/)
  })

  it('never puts a thousands comma inside Beta(…), where it would read as the argument comma', () => {
    const text = formatBetaShape(12649, 48887)
    expect(text).toBe('Beta(12\u202f649, 48\u202f887)')
    expect(text.split(',')).toHaveLength(2)
    expect(formatBetaShape(2, 0.5)).toBe('Beta(2, 0.5)')
    expect(formatBetaShape(1234.5678, 3)).toBe('Beta(1\u202f234.57, 3)')
  })

  it('formats an effective sample size', () => {
    expect(formatEffectiveN(199.99)).toBe('200')
    expect(formatEffectiveN(12.345)).toBe('12.3')
    expect(formatEffectiveN(7)).toBe('7')
    expect(formatEffectiveN(NaN)).toBe('—')
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
