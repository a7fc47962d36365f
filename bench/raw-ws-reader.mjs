// Cheap WebSocket readers for the fan-out and saturation scenarios: raw TCP sockets that do the
// RFC 6455 handshake by hand and then only parse frame headers. A reference-dialect frame is
// 3 bytes (0x81 0x01 '0'|'1'); pings are answered with masked pongs, everything else is counted.
//
// Per reader, while recording: the number of frames since the mark, the first ALIGN_CAP frame
// values (to align readers against each other, see analysis.mjs) and one (frames-so-far, time)
// pair per socket read, from which the arrival time of any frame index can be recovered.
import { createHash, randomBytes, randomFillSync } from 'node:crypto'
import net from 'node:net'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
/** Frame values kept per reader after the mark, for alignment. */
export const ALIGN_CAP = 4096

// One receive buffer shared by every socket: onread callbacks run one at a time.
const shared = Buffer.allocUnsafe(256 * 1024)
const maskPool = Buffer.alloc(4096)
let maskAt = maskPool.length

function nextMask() {
  if (maskAt + 4 > maskPool.length) {
    randomFillSync(maskPool)
    maskAt = 0
  }
  const mask = maskPool.subarray(maskAt, maskAt + 4)
  maskAt += 4
  return mask
}

class RawReader {
  constructor(pool, index) {
    this.pool = pool
    this.index = index
    this.socket = null
    this.open = false
    this.closed = false
    this.closedDuringRun = false
    this.failed = false
    this.handshake = ''
    this.key = ''
    this.carry = null
    this.total = 0
    this.rec = false
    this.n = 0
    this.nEnd = -1
    this.vals = null
    this.evEnd = null
    this.evT = null
    this.ne = 0
  }

  startRecording(alignCap, evCapacity) {
    this.rec = true
    this.n = 0
    this.nEnd = -1
    this.vals = new Uint8Array(alignCap)
    this.evEnd = new Uint32Array(evCapacity)
    this.evT = new Float64Array(evCapacity)
    this.ne = 0
  }

  #pushEvent(t) {
    if (this.ne === this.evEnd.length) {
      const ends = new Uint32Array(this.ne * 2)
      ends.set(this.evEnd)
      this.evEnd = ends
      const times = new Float64Array(this.ne * 2)
      times.set(this.evT)
      this.evT = times
    }
    this.evEnd[this.ne] = this.n
    this.evT[this.ne] = t
    this.ne++
  }

  onData(nread, buf) {
    const t = performance.now()
    if (!this.open) return this.#onHandshakeData(buf.subarray(0, nread), t)
    let data = buf
    let end = nread
    if (this.carry) {
      data = Buffer.concat([this.carry, buf.subarray(0, nread)])
      end = data.length
      this.carry = null
    }
    this.#parse(data, 0, end, t)
  }

  #onHandshakeData(chunk, t) {
    this.handshake += chunk.toString('latin1')
    const headerEnd = this.handshake.indexOf('\r\n\r\n')
    if (headerEnd < 0) {
      if (this.handshake.length > 8192) this.fail('handshake', 'response header too long')
      return
    }
    const head = this.handshake.slice(0, headerEnd)
    const rest = Buffer.from(this.handshake.slice(headerEnd + 4), 'latin1')
    this.handshake = ''
    if (!/^HTTP\/1\.1 101 /.test(head))
      return this.fail('handshake', head.split('\r\n')[0] || 'no status line')
    const accept = /\r\nsec-websocket-accept:\s*([^\r\n]+)/i.exec(head)
    const expected = createHash('sha1')
      .update(this.key + GUID)
      .digest('base64')
    if (!accept || accept[1].trim() !== expected)
      return this.fail('handshake', 'bad Sec-WebSocket-Accept')
    this.open = true
    this.pool.onOpen(this)
    if (rest.length > 0) this.#parse(rest, 0, rest.length, t)
  }

  #parse(buf, i, end, t) {
    const before = this.n
    const rec = this.rec
    const vals = this.vals
    let n = this.n
    let total = this.total
    while (i < end) {
      // Fast path: the reference dialect's 3-byte text frame.
      if (end - i >= 3 && buf[i] === 0x81 && buf[i + 1] === 0x01) {
        if (rec) {
          if (n < vals.length) vals[n] = buf[i + 2]
          n++
        }
        total++
        i += 3
        continue
      }
      if (end - i < 2) break
      const b0 = buf[i]
      const b1 = buf[i + 1]
      let len = b1 & 0x7f
      let header = 2
      if (len === 126) {
        if (end - i < 4) break
        len = buf.readUInt16BE(i + 2)
        header = 4
      } else if (len === 127) {
        if (end - i < 10) break
        len = Number(buf.readBigUInt64BE(i + 2))
        header = 10
      }
      const masked = (b1 & 0x80) !== 0
      if (masked) header += 4
      if (end - i < header + len) break
      const opcode = b0 & 0x0f
      const fin = (b0 & 0x80) !== 0
      if (opcode <= 2) {
        if (fin) {
          if (rec) {
            if (n < vals.length) vals[n] = len === 1 && !masked ? buf[i + header] : 0
            n++
          }
          total++
        }
      } else if (opcode === 9) {
        this.#pong(buf.subarray(i + header, i + header + len))
      } else if (opcode === 8) {
        this.pool.counts.closeFrames++
        this.n = n
        this.total = total
        this.socket.destroy()
        return
      }
      i += header + len
    }
    this.n = n
    this.total = total
    if (i < end) this.carry = Buffer.from(buf.subarray(i, end))
    if (rec && n !== before) this.#pushEvent(t - this.pool.t0)
  }

  #pong(payload) {
    const frame = Buffer.allocUnsafe(6 + payload.length)
    frame[0] = 0x8a
    frame[1] = 0x80 | payload.length
    const mask = nextMask()
    mask.copy(frame, 2)
    for (let k = 0; k < payload.length; k++) frame[6 + k] = payload[k] ^ mask[k & 3]
    this.socket.write(frame)
    this.pool.counts.pongs++
  }

  fail(kind, detail) {
    if (!this.open && !this.failed) {
      this.failed = true
      this.pool.onConnectFailed(this, kind, detail)
    }
    this.socket?.destroy()
  }
}

/**
 * N raw readers of one `ws://127.0.0.1:port/path`. Usage: `connect()`, then `mark()` to start
 * recording, `endWindow()`, a grace period, `stopRecording()`, then `destroy()`.
 */
export class RawReaderPool {
  constructor({
    port,
    path = '/websocket/',
    count,
    concurrency = 128,
    handshakeTimeoutMs = 15_000
  }) {
    this.port = port
    this.path = path
    this.count = count
    this.concurrency = concurrency
    this.handshakeTimeoutMs = handshakeTimeoutMs
    this.readers = []
    this.t0 = 0
    this.tearingDown = false
    this.counts = { connectFailed: 0, closedDuringRun: 0, closeFrames: 0, pongs: 0 }
    this.failures = new Map()
    this.pendingOpen = new Map()
  }

  onOpen(reader) {
    const done = this.pendingOpen.get(reader)
    this.pendingOpen.delete(reader)
    done?.(true)
  }

  onConnectFailed(reader, kind, detail) {
    const key = `${kind}: ${detail}`
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1)
    const done = this.pendingOpen.get(reader)
    this.pendingOpen.delete(reader)
    done?.(false)
  }

  #connectOne(index) {
    const reader = new RawReader(this, index)
    this.readers.push(reader)
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => reader.fail('timeout', `no 101 within ${this.handshakeTimeoutMs} ms`),
        this.handshakeTimeoutMs
      )
      this.pendingOpen.set(reader, (ok) => {
        clearTimeout(timer)
        resolve(ok)
      })
      reader.key = randomBytes(16).toString('base64')
      const socket = net.connect({
        host: '127.0.0.1',
        port: this.port,
        noDelay: true,
        onread: { buffer: shared, callback: (nread, buf) => void reader.onData(nread, buf) }
      })
      reader.socket = socket
      socket.on('connect', () => {
        socket.write(
          `GET ${this.path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${reader.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`
        )
      })
      socket.on('error', (error) => {
        if (!reader.open) reader.fail('socket', error.code ?? error.message)
      })
      socket.on('close', () => {
        if (!reader.open) reader.fail('socket', 'closed before 101')
        else if (!reader.closed && !this.tearingDown) {
          reader.closedDuringRun = true
          this.counts.closedDuringRun++
        }
        reader.closed = true
      })
    })
  }

  /** Opens `count` connections, at most `concurrency` handshakes in flight. Resolves to the number open. */
  async connect({ deadlineMs = 120_000, shouldStop = () => false } = {}) {
    const deadline = performance.now() + deadlineMs
    let next = 0
    let opened = 0
    const worker = async () => {
      while (next < this.count && performance.now() < deadline && !shouldStop()) {
        const index = next++
        if (await this.#connectOne(index)) opened++
        else this.counts.connectFailed++
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, this.count) }, worker))
    return opened
  }

  get openReaders() {
    return this.readers.filter((r) => r.open && !r.closed)
  }

  /** Readers open and having received at least `min` frames since connecting. */
  countReceiving(min = 1) {
    let k = 0
    for (const r of this.readers) if (r.open && !r.closed && r.total >= min) k++
    return k
  }

  /** Starts recording on every open reader; times are kept relative to now. */
  mark({ alignCap = ALIGN_CAP, evCapacity = 256 } = {}) {
    this.t0 = performance.now()
    for (const r of this.readers) if (r.open && !r.closed) r.startRecording(alignCap, evCapacity)
    return this.t0
  }

  endWindow() {
    const t1 = performance.now()
    for (const r of this.readers) if (r.rec) r.nEnd = r.n
    return t1
  }

  stopRecording() {
    for (const r of this.readers) r.rec = false
  }

  destroy() {
    this.tearingDown = true
    for (const r of this.readers) r.socket?.destroy()
  }

  failureSummary() {
    return [...this.failures].map(([what, k]) => `${k}× ${what}`).join('; ')
  }
}
