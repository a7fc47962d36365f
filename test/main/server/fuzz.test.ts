import { connect as tcpConnect } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createRandomSource, type RandomSource } from '../../../src/main/sampler/random-source'
import { SERVER_DEFAULTS } from '../../../src/main/server/server-options'
import { createStreamService, type StreamService } from '../../../src/main/stream-service'
import { TestClient } from '../../support/test-client'

// Bounded and deterministic: FUZZ_FRAMES frames from FUZZ_SEED (defaults: 20 000 frames, seed 1).
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 20_000)
const SEED = Number(process.env.FUZZ_SEED ?? 1)
const CONNECTIONS = 20
// The JSON path's real inbound limit: frames above it must close with 1009.
const MAX_PAYLOAD = SERVER_DEFAULTS.jsonMaxPayloadBytes

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

let service: StreamService
let port: number
beforeAll(async () => {
  service = createStreamService({
    port: 0,
    intervalMs: 5,
    controlToken: 'the-real-token',
    // This test checks that every bad frame gets its answer; the reply rate limit has its own.
    errorReplyRatePerS: 1e9,
    errorReplyBurst: 1e9
  })
  port = (await service.listen()).port
})
afterAll(() => service.close())

const KEYS = [
  'type',
  'p',
  'intervalMs',
  'id',
  'token',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty'
]
const TYPES = [
  'set',
  'start',
  'stop',
  'hello',
  'samples',
  'SET',
  '',
  'set\u0000',
  'constructor',
  '__proto__'
]
const EXTREMES = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 53,
  60_000,
  60_001,
  0.999999,
  '0.5',
  '',
  null,
  true,
  [],
  {},
  [0.5],
  { p: 0.5 }
]
const VALID = [
  '{"type":"set","p":0.5}',
  '{"type":"start","id":1}',
  '{"type":"stop","token":"x"}',
  '{"type":"set","intervalMs":10,"id":"a"}'
]

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function randomJson(random: RandomSource, depth = 0): unknown {
  const roll = random()
  if (depth > 3 || roll < 0.4) return pick(random, EXTREMES)
  if (roll < 0.55)
    return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1))
  const object: Record<string, unknown> = {}
  for (let i = Math.floor(random() * 5); i > 0; i--)
    object[pick(random, KEYS)] = i === 1 ? pick(random, TYPES) : randomJson(random, depth + 1)
  return object
}

function randomText(random: RandomSource, length: number): string {
  let text = ''
  for (let i = 0; i < length; i++) text += String.fromCharCode(32 + Math.floor(random() * 0x2fff))
  return text
}

function mutate(random: RandomSource, text: string): string {
  const chars = [...text]
  for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
    const at = Math.floor(random() * (chars.length + 1))
    const roll = random()
    if (roll < 0.33) chars.splice(at, 1)
    else if (roll < 0.66)
      chars.splice(at, 0, pick(random, ['{', '}', '"', ':', ',', '\\', '9', 'e', '-', ' ']))
    else chars.splice(at, 1, String.fromCharCode(Math.floor(random() * 128)))
  }
  return chars.join('')
}

/** One fuzz frame: what to send, and what the server must answer. */
type FuzzFrame =
  | { data: string | Buffer; binary: boolean; expect: 'error-reply' }
  | { data: Buffer; binary: false; expect: 'close-1007' }
  | { data: Buffer; binary: true; expect: 'close-1009' }

function nextFrame(random: RandomSource): FuzzFrame {
  const roll = random()
  if (roll < 0.3)
    return { data: JSON.stringify(randomJson(random)), binary: false, expect: 'error-reply' }
  if (roll < 0.55)
    return { data: mutate(random, pick(random, VALID)), binary: false, expect: 'error-reply' }
  if (roll < 0.7)
    return {
      data: randomText(random, Math.floor(random() * 200)),
      binary: false,
      expect: 'error-reply'
    }
  if (roll < 0.85) {
    const bytes = Buffer.alloc(Math.floor(random() * 300), 0)
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256)
    return { data: bytes, binary: true, expect: 'error-reply' }
  }
  if (roll < 0.93)
    return {
      data: `{"type":"set","p":${pick(random, ['NaN', 'Infinity', '-Infinity', '1e999', '0x1', '.5', '+1', '1_0'])}}`,
      binary: false,
      expect: 'error-reply'
    }
  if (roll < 0.97)
    return {
      data: `{"type":"set","__proto__":{"p":0.1},"constructor":{"prototype":{"polluted":1}}}`,
      binary: false,
      expect: 'error-reply'
    }
  if (roll < 0.99)
    return {
      data: Buffer.from([0x7b, 0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]),
      binary: false,
      expect: 'close-1007'
    }
  return {
    data: Buffer.alloc(MAX_PAYLOAD + 1 + Math.floor(random() * 1000), 0x20),
    binary: true,
    expect: 'close-1009'
  }
}

/** A fuzzing connection that counts replies without keeping them. */
function openFuzzer(
  url: string
): Promise<{ ws: WebSocket; errors: () => number; others: () => number; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    let errors = 0
    let others = 0
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; code?: string }
      if (
        message.type === 'error' &&
        typeof message.code === 'string' &&
        message.code.startsWith('E_')
      )
        errors++
      else if (message.type !== 'samples' && message.type !== 'hello' && message.type !== 'state')
        others++
    })
    const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)))
    ws.on('error', () => undefined)
    ws.once('open', () => resolve({ ws, errors: () => errors, others: () => others, closed }))
    ws.once('unexpected-response', () => reject(new Error('handshake refused')))
  })
}

function rawHandshake(lines: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1')
    let reply = ''
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')))
    socket.on('error', () => resolve(reply))
    socket.on('close', () => resolve(reply))
    socket.write(lines)
    setTimeout(() => socket.destroy(), 1000)
  })
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((r) => setTimeout(r, 20))
  }
  return process.memoryUsage().heapUsed
}

describe(`fuzz: ${FRAMES} frames from seed ${SEED}`, () => {
  it('answers every bad frame with an error reply or a close code, keeps serving, and returns to its memory baseline', async () => {
    const random = createRandomSource(SEED)
    const bystanderJson = new TestClient(`ws://127.0.0.1:${port}/v1/stream`)
    const bystanderRef = new TestClient(`ws://127.0.0.1:${port}/websocket/`)
    await Promise.all([bystanderJson.opened, bystanderRef.opened])
    const baseline = await heapAfterGc()
    const url = `ws://127.0.0.1:${port}/v1/stream`

    let expectedReplies = 0
    let receivedReplies = 0
    let unexpectedOthers = 0
    const closesExpected: Record<string, number> = { 'close-1007': 0, 'close-1009': 0 }
    const closesSeen: Record<string, number> = { 'close-1007': 0, 'close-1009': 0 }
    let sent = 0
    let fuzzers = await Promise.all(Array.from({ length: CONNECTIONS }, () => openFuzzer(url)))
    const pendingPerFuzzer = new Map(fuzzers.map((f) => [f, 0]))

    while (sent < FRAMES) {
      for (let index = 0; index < fuzzers.length && sent < FRAMES; index++) {
        const fuzzer = fuzzers[index]!
        const frame = nextFrame(random)
        sent++
        if (frame.expect === 'error-reply') {
          fuzzer.ws.send(frame.data, { binary: frame.binary })
          pendingPerFuzzer.set(fuzzer, pendingPerFuzzer.get(fuzzer)! + 1)
          continue
        }
        // A frame that must close the connection: settle this connection's replies first.
        const want = pendingPerFuzzer.get(fuzzer)!
        await waitFor(() => fuzzer.errors() >= want)
        fuzzer.ws.send(frame.data, { binary: frame.binary })
        const code = await fuzzer.closed
        closesExpected[frame.expect]!++
        if (`close-${code}` === frame.expect) closesSeen[frame.expect]!++
        expectedReplies += want
        receivedReplies += fuzzer.errors()
        unexpectedOthers += fuzzer.others()
        pendingPerFuzzer.delete(fuzzer)
        const replacement = await openFuzzer(url)
        pendingPerFuzzer.set(replacement, 0)
        fuzzers = fuzzers.map((f) => (f === fuzzer ? replacement : f))
      }
      await new Promise((r) => setImmediate(r))
    }
    for (const fuzzer of fuzzers) {
      const want = pendingPerFuzzer.get(fuzzer)!
      await waitFor(() => fuzzer.errors() >= want, 20_000)
      expectedReplies += want
      receivedReplies += fuzzer.errors()
      unexpectedOthers += fuzzer.others()
      fuzzer.ws.close()
    }

    // Malformed handshakes get an HTTP error or a closed socket; nothing crashes.
    const handshakes = [
      'GARBAGE\r\n\r\n',
      'GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      'GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n',
      'GET /v1/stream HTTP/1.1\r\nHost: evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n',
      '\u0000\u0001\u0002\u00ff\r\n\r\n'
    ]
    for (const handshake of handshakes) {
      const reply = await rawHandshake(handshake)
      expect(
        reply === '' || /^HTTP\/1\.1 [45]\d\d /.test(reply),
        `reply to ${JSON.stringify(handshake.slice(0, 60))}: ${reply.slice(0, 80)}`
      ).toBe(true)
    }

    expect(receivedReplies).toBe(expectedReplies)
    expect(unexpectedOthers).toBe(0)
    expect(closesSeen).toEqual(closesExpected)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(service.state()).toMatchObject({ p: 0.72, intervalMs: 5, running: true })

    // The bystanders never noticed: contiguous samples throughout.
    const before = bystanderJson.samples.length
    await bystanderJson.until((c) => c.samples.length >= before + 5)
    const seqs = bystanderJson.samples.map((s) => s.seq)
    seqs.forEach((seq, i) => expect(seq).toBe(seqs[0]! + i))
    expect(bystanderRef.frames.every((f) => f === '0' || f === '1')).toBe(true)
    expect(bystanderRef.ws.readyState).toBe(WebSocket.OPEN)
    bystanderJson.ws.close()
    bystanderRef.ws.close()

    const after = await heapAfterGc()
    // Generous: this process also holds the test's own clients; a leak per frame would be far larger.
    expect(after - baseline).toBeLessThan(16 * 1024 * 1024)
  }, 120_000)
})

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('fuzz: timed out waiting for replies')
    await new Promise((r) => setTimeout(r, 5))
  }
}
