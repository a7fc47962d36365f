// JSON-protocol clients (the `ws` library: there are at most ~100 of them).
//
// JsonObserver: one client on our /v1/stream that records every sample's value and scheduled
// time by sequence number. It is the latency probe and alignment reference for ours, and it
// sends control messages (the server runs with --no-token).
//
// JsonReaderPool: the JSON-path scenario's clients; they parse every message, check that
// sequence numbers are consecutive and record latency and fan-out for sampled sequence numbers.
import WebSocket from 'ws'

function growF64(array, needed) {
  if (needed <= array.length) return array
  const bigger = new Float64Array(Math.max(needed, array.length * 2))
  bigger.set(array)
  return bigger
}

function open(url) {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, { perMessageDeflate: false })
    const timer = setTimeout(() => {
      ws.terminate()
      fail(new Error(`no WebSocket open on ${url} within 10 s`))
    }, 10_000)
    ws.once('open', () => {
      clearTimeout(timer)
      done(ws)
    })
    ws.once('error', (error) => {
      clearTimeout(timer)
      fail(error)
    })
  })
}

export class JsonObserver {
  constructor() {
    this.ws = null
    this.seqBase = -1
    this.count = 0
    this.values = []
    this.times = new Float64Array(4096)
    this.acks = new Map()
    this.nextId = 1
    this.gaps = 0
  }

  async connect(port) {
    this.ws = await open(`ws://127.0.0.1:${port}/v1/stream`)
    this.ws.on('error', () => undefined)
    this.ws.on('message', (data) => this.#onMessage(data))
    return this
  }

  #onMessage(data) {
    const message = JSON.parse(data.toString())
    if (message.type === 'samples') {
      if (this.seqBase < 0) this.seqBase = message.seq
      const at = message.seq - this.seqBase
      if (at !== this.count) this.gaps++
      const n = message.values.length
      this.times = growF64(this.times, at + n)
      for (let i = 0; i < n; i++) {
        this.values[at + i] = message.values[i] === 1 ? '1' : '0'
        this.times[at + i] = message.times[i]
      }
      this.count = at + n
    } else if (message.type === 'ack' || message.type === 'error') {
      this.acks.get(message.id)?.(message)
      this.acks.delete(message.id)
    }
  }

  /** Sends a control message and waits (up to timeoutMs) for its ack. */
  control(message, timeoutMs = 120_000) {
    const id = this.nextId++
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.acks.delete(id)
        fail(new Error(`no reply to ${message.type} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.acks.set(id, (reply) => {
        clearTimeout(timer)
        if (reply.type === 'ack') done(reply)
        else fail(new Error(`${reply.code}: ${reply.message}`))
      })
      this.ws.send(JSON.stringify({ ...message, id }))
    })
  }

  /** The alignment reference: values as a '0'/'1' string and epoch-ms times, index = seq - seqBase. */
  reference() {
    return {
      kind: 'json',
      str: this.values.slice(0, this.count).join(''),
      times: this.times.subarray(0, this.count)
    }
  }

  close() {
    this.ws?.terminate()
  }
}

/** JSON-path readers. Latency and fan-out are recorded for every `stride`-th sequence number. */
export class JsonReaderPool {
  constructor({ port, count, stride = 4 }) {
    this.port = port
    this.count = count
    this.stride = stride
    this.clients = []
    this.rec = false
    this.tearingDown = false
    this.counts = { connectFailed: 0, closedDuringRun: 0, gaps: 0 }
    this.t0 = 0
    this.latencies = new Float64Array(1 << 16)
    this.nLat = 0
    // Fan-out per sampled seq: first and last arrival (performance.now()).
    this.fanFirst = new Map()
    this.fanLast = new Map()
    this.fanCount = new Map()
  }

  async connect() {
    const url = `ws://127.0.0.1:${this.port}/v1/stream`
    const results = await Promise.allSettled(Array.from({ length: this.count }, () => open(url)))
    for (const result of results) {
      if (result.status === 'rejected') {
        this.counts.connectFailed++
        continue
      }
      const ws = result.value
      const client = {
        ws,
        lastSeq: -1,
        messages: 0,
        samples: 0,
        messagesEnd: -1,
        samplesEnd: -1,
        closed: false
      }
      this.clients.push(client)
      ws.on('error', () => undefined)
      ws.on('close', () => {
        client.closed = true
        if (!this.tearingDown) this.counts.closedDuringRun++
      })
      ws.on('message', (data) => this.#onMessage(client, data))
    }
    return this.clients.length
  }

  #onMessage(client, data) {
    const t = performance.now()
    const message = JSON.parse(data.toString())
    if (message.type !== 'samples') return
    const n = message.values.length
    const seq = message.seq
    if (client.lastSeq >= 0 && seq !== client.lastSeq + 1) this.counts.gaps++
    client.lastSeq = seq + n - 1
    if (!this.rec) return
    client.messages++
    client.samples += n
    const epoch = performance.timeOrigin + t
    const stride = this.stride
    for (let s = Math.ceil(seq / stride) * stride; s < seq + n; s += stride) {
      const i = s - seq
      if (this.nLat === this.latencies.length)
        this.latencies = growF64(this.latencies, this.nLat + 1)
      this.latencies[this.nLat++] = epoch - message.times[i]
      const first = this.fanFirst.get(s)
      if (first === undefined) {
        this.fanFirst.set(s, t)
        this.fanCount.set(s, 1)
      } else {
        this.fanLast.set(s, t)
        this.fanCount.set(s, this.fanCount.get(s) + 1)
      }
    }
  }

  mark() {
    this.t0 = performance.now()
    this.rec = true
    return this.t0
  }

  endWindow() {
    for (const c of this.clients) {
      c.messagesEnd = c.messages
      c.samplesEnd = c.samples
    }
    return performance.now()
  }

  stopRecording() {
    this.rec = false
  }

  /** Fan-out (ms) of each sampled seq that every open client received. */
  fanouts() {
    const open = this.clients.filter((c) => !c.closed).length
    const out = []
    for (const [s, first] of this.fanFirst) {
      if (this.fanCount.get(s) >= open && this.fanLast.has(s)) out.push(this.fanLast.get(s) - first)
    }
    return Float64Array.from(out)
  }

  destroy() {
    this.tearingDown = true
    for (const c of this.clients) c.ws.terminate()
  }
}
