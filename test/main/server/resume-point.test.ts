import { describe, expect, it } from 'vitest'
import { eventId, parseResume, replayFrom } from '../../../src/main/server/resume-point'

const RUN = '5f0c3a9e1b2d4c6e'

describe('parseResume', () => {
  it.each([
    ['nothing: live', null, null, null],
    ['a bare sequence number', '41', null, 41],
    ['a bare number with this run named', '41', RUN, 41],
    ['a bare number of another run: this run from its start', '41', 'oldrun', 0],
    ['an SSE event id of this run', `${RUN}:41`, null, 41],
    ['an SSE event id of another run', 'oldrun:41', null, 0],
    ['an event id beats ?stream (Last-Event-ID is newer than the URL)', `${RUN}:41`, 'oldrun', 41],
    ['spaces around it', ' 41 ', null, 41],
    ['zero', '0', null, 0]
  ])('reads %s', (_what, after, stream, afterSeq) => {
    expect(parseResume({ after, stream }, RUN)).toEqual({ ok: true, afterSeq })
  })

  it.each([
    '-3',
    '1.5',
    'abc',
    '',
    '1e3',
    '1234567890123456',
    `${RUN}:`,
    ':5',
    'a b:5',
    `${RUN}:x`
  ])('refuses %j with a message that says what is expected', (after) => {
    const result = parseResume({ after, stream: null }, RUN)
    expect(result).toEqual({ ok: false, message: expect.stringContaining('<streamId>:<seq>') })
  })
})

describe('replayFrom', () => {
  it('replays from the sample after the point, or the whole run when the point is in the future', () => {
    expect(replayFrom(41, 100)).toBe(42)
    expect(replayFrom(99, 100)).toBe(100)
    expect(replayFrom(100, 100)).toBe(1)
    expect(replayFrom(0, 100)).toBe(1)
  })
})

describe('eventId', () => {
  it('names the run and the sequence number, and parses back', () => {
    expect(eventId(RUN, 7)).toBe(`${RUN}:7`)
    expect(parseResume({ after: eventId(RUN, 7), stream: null }, RUN)).toEqual({
      ok: true,
      afterSeq: 7
    })
  })
})
