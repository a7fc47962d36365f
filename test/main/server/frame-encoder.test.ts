import { describe, expect, it } from 'vitest'
import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import {
  encodeReferenceFrames,
  encodeTextFrame,
  REFERENCE_FRAMES
} from '../../../src/main/server/frame-encoder'

// ws exports its Receiver at run time, but @types/ws does not declare it.
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void }
}

/** Decodes frames with ws's own receiver, as a client would (unmasked server frames). */
function decode(bytes: Buffer): string[] {
  const messages: string[] = []
  const receiver = new Receiver({ isServer: false })
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false)
    messages.push(data.toString())
  })
  receiver.on('error', (error: Error) => {
    throw error
  })
  receiver.write(bytes)
  return messages
}

describe('encodeTextFrame', () => {
  it('encodes the reference frames as exactly 0x81 0x01 and the digit', () => {
    expect([...REFERENCE_FRAMES[0]]).toEqual([0x81, 0x01, 0x30])
    expect([...REFERENCE_FRAMES[1]]).toEqual([0x81, 0x01, 0x31])
  })

  it.each([0, 1, 125, 126, 65_535, 65_536, 200_000])(
    'round-trips a %i-byte payload through ws’s receiver',
    (length) => {
      const payload = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2)
      const frame = encodeTextFrame(Buffer.from(payload))
      const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10
      expect(frame.length).toBe(headerLength + Buffer.byteLength(payload))
      expect(decode(frame)).toEqual([payload])
    }
  )

  it('uses the 16-bit and 64-bit length forms at their thresholds', () => {
    expect(encodeTextFrame(Buffer.alloc(126))[1]).toBe(126)
    expect(encodeTextFrame(Buffer.alloc(126)).readUInt16BE(2)).toBe(126)
    const big = encodeTextFrame(Buffer.alloc(70_000))
    expect(big[1]).toBe(127)
    expect(big.readBigUInt64BE(2)).toBe(70_000n)
  })
})

describe('encodeReferenceFrames', () => {
  it('puts one 3-byte frame per sample back to back', () => {
    const bytes = encodeReferenceFrames([1, 0, 0, 1])
    expect(bytes.length).toBe(12)
    expect(decode(bytes)).toEqual(['1', '0', '0', '1'])
  })
})
