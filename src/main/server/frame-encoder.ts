const OPCODE_TEXT = 0x1
const FIN = 0x80

/**
 * Encodes one unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2), as a server sends
 * it. A broadcast is encoded once and the same bytes are written to every client, instead of
 * every client's sender framing the same payload again.
 * @param payload UTF-8 bytes, any length up to 2^53 − 1.
 */
export function encodeTextFrame(payload: Buffer): Buffer {
  const length = payload.length
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLength + length)
  frame[0] = FIN | OPCODE_TEXT
  if (length < 126) {
    frame[1] = length
  } else if (length < 65_536) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
  payload.copy(frame, headerLength)
  return frame
}

/** The two reference-dialect frames, `"0"` and `"1"`: 3 bytes each. */
export const REFERENCE_FRAMES: readonly [Buffer, Buffer] = [
  encodeTextFrame(Buffer.from('0')),
  encodeTextFrame(Buffer.from('1'))
]

/**
 * The reference-dialect frames for a batch of samples, back to back in one buffer, so each
 * client gets one write per batch however many samples it holds.
 */
export function encodeReferenceFrames(values: ArrayLike<0 | 1>): Buffer {
  if (values.length === 1) return REFERENCE_FRAMES[values[0]!]
  const out = Buffer.allocUnsafe(3 * values.length)
  for (let i = 0; i < values.length; i++) REFERENCE_FRAMES[values[i]!].copy(out, 3 * i)
  return out
}

/** One text frame holding a JSON message (UTF-8). */
export function encodeJsonFrame(json: string): Buffer {
  return encodeTextFrame(Buffer.from(json))
}
