import { describe, expect, it } from 'vitest'
import {
  describeFaults,
  parseFaultParams,
  parseFaultsFlag,
  resolveFaults
} from '../../../src/main/faults/fault-spec'

const query = (q: string) => parseFaultParams(new URLSearchParams(q))

describe('parseFaultParams', () => {
  it('reads every fault and ignores the path’s own parameters', () => {
    expect(
      query(
        'after=10&stream=ab&drop=0.05&dup=1e-2&delay=20-200&disconnect=30&stall=10&burst=500&faultseed=7'
      )
    ).toEqual({
      ok: true,
      request: {
        drop: 0.05,
        dup: 0.01,
        delay: { minMs: 20, maxMs: 200 },
        disconnectAfterMs: 30_000,
        stallAfterMs: 10_000,
        burstMs: 500,
        seed: 7
      }
    })
    expect(query('delay=50')).toEqual({ ok: true, request: { delay: { minMs: 50, maxMs: 50 } } })
    expect(query('faults=none')).toEqual({ ok: true, request: { none: true } })
    expect(query('')).toEqual({ ok: true, request: {} })
  })

  it.each([
    ['drop=1.5', 'drop must be a fraction from 0 to 1 (e.g. drop=0.05), got "1.5"'],
    ['drop=-0.1', 'drop must be a fraction'],
    ['dup=abc', 'dup must be a fraction'],
    ['drop=0.1&drop=0.2', 'drop is given twice'],
    ['delay=200-20', 'delay must be milliseconds'],
    ['delay=100000', 'at most 60000'],
    ['delay=a-b', 'delay must be'],
    ['disconnect=0', 'disconnect must be seconds from 0.1'],
    ['stall=never', 'stall must be seconds'],
    ['burst=1', 'burst must be milliseconds from 10'],
    ['faultseed=0', 'faultseed must be a whole number'],
    ['faultseed=1.5', 'faultseed must be'],
    ['faults=all', 'faults takes only "none"'],
    ['drop=0x1', 'drop must be']
  ])('refuses %s with a clear sentence', (q, words) => {
    const parsed = query(q)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.message).toContain(words)
  })
})

describe('parseFaultsFlag', () => {
  it('takes the query syntax joined by , or &', () => {
    expect(parseFaultsFlag('drop=0.05,delay=20-200')).toEqual({
      ok: true,
      request: { drop: 0.05, delay: { minMs: 20, maxMs: 200 } }
    })
    expect(parseFaultsFlag('dup=0.1&stall=5')).toEqual({
      ok: true,
      request: { dup: 0.1, stallAfterMs: 5000 }
    })
  })
  it('refuses an empty spec, unknown faults and bad values, naming the flag', () => {
    expect(parseFaultsFlag('')).toMatchObject({
      ok: false,
      message: expect.stringContaining('needs at least one')
    })
    expect(parseFaultsFlag('drops=0.1')).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown fault "drops"')
    })
    expect(parseFaultsFlag('faults=none')).toMatchObject({ ok: false })
    expect(parseFaultsFlag('drop=2')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^--faults: drop must be/)
    })
  })
})

describe('resolveFaults', () => {
  const seed = () => 99
  it('gives no plan at all to a connection that asks for nothing', () => {
    expect(resolveFaults(null, {}, seed)).toBeNull()
    expect(resolveFaults(null, { drop: 0, dup: 0, delay: { minMs: 0, maxMs: 0 } }, seed)).toBeNull()
    expect(resolveFaults(null, { seed: 5 }, seed)).toBeNull()
  })
  it('lets a connection override the server-wide faults key by key, or opt out', () => {
    const wide = { drop: 0.1, delay: { minMs: 5, maxMs: 5 } }
    expect(resolveFaults(wide, {}, seed)).toMatchObject({
      drop: 0.1,
      delay: { minMs: 5 },
      seed: 99
    })
    expect(resolveFaults(wide, { drop: 0 }, seed)).toMatchObject({ drop: 0, delay: { minMs: 5 } })
    expect(resolveFaults(wide, { none: true }, seed)).toBeNull()
    expect(resolveFaults(wide, { none: true, dup: 0.5, seed: 3 }, seed)).toMatchObject({
      drop: 0,
      dup: 0.5,
      delay: null,
      seed: 3
    })
  })
  it('describes a plan as the parameters that reproduce it', () => {
    const spec = resolveFaults(
      null,
      { drop: 0.1, delay: { minMs: 20, maxMs: 200 }, stallAfterMs: 1500 },
      seed
    )!
    expect(describeFaults(spec)).toBe('drop=0.1&delay=20-200&stall=1.5&faultseed=99')
    const again = query(describeFaults(spec))
    expect(again.ok && resolveFaults(null, again.request, () => 1)).toEqual(spec)
  })
})
