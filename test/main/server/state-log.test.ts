import { describe, expect, it } from 'vitest'
import { StateLog } from '../../../src/main/server/state-log'

describe('StateLog', () => {
  it('numbers events in order and finds the first at or after a position', () => {
    const log = new StateLog(10)
    log.append(1, 'a')
    log.append(5, 'b')
    log.append(5, 'c')
    log.append(9, 'd')
    expect([0, 1, 2, 3].map((i) => log.at(i)?.json)).toEqual(['a', 'b', 'c', 'd'])
    expect(log.firstAtOrAfter(0)).toBe(0)
    expect(log.firstAtOrAfter(5)).toBe(1)
    expect(log.firstAtOrAfter(6)).toBe(3)
    expect(log.firstAtOrAfter(10)).toBe(4)
    expect(log.endIndex).toBe(4)
  })

  it('forgets the oldest beyond its capacity; numbers stay', () => {
    const log = new StateLog(2)
    for (const [position, json] of [
      [1, 'a'],
      [2, 'b'],
      [3, 'c']
    ] as const)
      log.append(position, json)
    expect(log.firstIndex).toBe(1)
    expect(log.at(0)).toBeUndefined()
    expect(log.at(2)).toEqual({ position: 3, json: 'c' })
    expect(log.firstAtOrAfter(0)).toBe(1)
  })

  it('refuses positions that go back, and nonsense capacities', () => {
    const log = new StateLog(2)
    log.append(5, 'a')
    expect(() => log.append(4, 'b')).toThrow(RangeError)
    expect(() => new StateLog(0)).toThrow(RangeError)
  })
})
