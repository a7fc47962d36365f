// The soak's clients: JSON-protocol clients that resume (the ones held to "zero missing"), a
// controller that steers the stream with the token, and reference-dialect clients ("0"/"1"
// frames, which lose what is sent while they are away, by design).
import { WebSocket } from 'ws'

const REFERENCE_PATHS = ['/websocket/', '/websocket', '/']
const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 600

/**
 * What clients share with the director.
 * @typedef {object} SoakContext
 * @property {() => string} wsBase        ws://127.0.0.1:PORT
 * @property {ReturnType<import('./rng.mjs').createRng>} rng
 * @property {import('./ledger.mjs').RunLedger} ledger
 * @property {boolean} churnPaused        no new voluntary disconnects (while draining before a stop)
 * @property {boolean} stopping           the soak is over: no reconnects
 * @property {boolean} restartWindow      a server is stopping or starting: failed connects and 1001 closes are expected
 * @property {number} runIndex            index of the server run now up (or starting)
 * @property {() => number} liveSeq       latest seq of the current run known to the controller
 * @property {object} churn               { shortShare, shortMinMs, shortMaxMs, minSessionMs, maxSessionMs, maxAwayMs, terminateShare }
 * @property {(client: object, kind: string, detail: string) => void} unexpected
 * @property {object} counters
 */

/** Per client, per run: what it was owed and what it got. */
function newRunRecord(streamId, start) {
  return {
    streamId,
    /** First sequence number this client is owed in this run. */
    start,
    last: start - 1,
    count: 0,
    ones: 0,
    duplicates: 0,
    firstDuplicate: null,
    holes: [],
    holeTotal: 0,
    gapsAnnounced: [],
    gapTotal: 0,
    gapCovered: 0,
    stateOrderViolations: 0,
    firstStateViolation: null,
    disagreements: 0,
    /** The server closed this client with 1001 (shutting down) while it was in this run. */
    endedByServer: false,
    connections: 0
  }
}

class BaseClient {
  /** @param {SoakContext} ctx */
  constructor(ctx, id, { churn = true } = {}) {
    this.ctx = ctx
    this.id = id
    this.churn = churn
    /** @type {WebSocket | null} */
    this.ws = null
    this.open = false
    this.selfClosing = false
    this.attempts = 0
    this.opens = 0
    this.cleanCloses = 0
    this.terminates = 0
    this.serverCloses = 0
    this.slowConsumerCloses = 0
    this.failedConnects = 0
    this.malformed = 0
    this.done = false
    this.churnTimer = null
    this.reconnectTimer = null
  }

  start(delayMs) {
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs)
  }

  connect() {
    this.reconnectTimer = null
    if (this.ctx.stopping) {
      this.done = true
      return
    }
    this.attempts++
    this.selfClosing = false
    this.beforeConnect()
    const ws = new WebSocket(this.url(), { perMessageDeflate: false, handshakeTimeout: 10_000 })
    this.ws = ws
    let opened = false
    ws.on('open', () => {
      opened = true
      this.open = true
      this.opens++
      this.onOpen()
      this.scheduleChurn()
    })
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary))
    ws.on('error', (error) => {
      if (this.ctx.restartWindow || this.ctx.stopping) this.ctx.counters.expectedErrors++
      else this.ctx.unexpected(this, 'socket error', `${error.code ?? ''} ${error.message}`.trim())
    })
    ws.on('close', (code, reason) => this.onClose(opened, code, reason.toString()))
  }

  onClose(opened, code, reason) {
    this.open = false
    clearTimeout(this.churnTimer)
    this.churnTimer = null
    const voluntary = this.selfClosing
    if (!opened) this.failedConnects++
    if (!voluntary && opened) {
      if (code === 1001) {
        this.serverCloses++
        this.onServerGoingAway()
        if (!this.ctx.restartWindow)
          this.ctx.unexpected(this, 'close', `1001 ${reason} outside a restart`)
      } else if (code === 4008) {
        this.slowConsumerCloses++
        this.ctx.counters.slowConsumerCloses++
      } else if (!this.ctx.restartWindow && !this.ctx.stopping) {
        this.ctx.unexpected(this, 'close', `${code} ${reason}`.trim())
      }
    }
    if (this.ctx.stopping) {
      this.done = true
      return
    }
    const { rng } = this.ctx
    const delay = voluntary
      ? rng.uniform(0, this.ctx.churn.maxAwayMs)
      : rng.uniform(RETRY_MIN_MS, RETRY_MAX_MS)
    this.reconnectTimer = setTimeout(() => this.connect(), delay)
  }

  scheduleChurn() {
    if (!this.churn) return
    const { rng, churn } = this.ctx
    const lifetime = rng.chance(churn.shortShare)
      ? rng.uniform(churn.shortMinMs, churn.shortMaxMs)
      : rng.uniform(churn.minSessionMs, churn.maxSessionMs)
    this.churnTimer = setTimeout(this.churnNow, lifetime)
  }

  churnNow = () => {
    this.churnTimer = null
    if (!this.open || this.ctx.stopping) return
    if (this.ctx.churnPaused) {
      this.churnTimer = setTimeout(this.churnNow, 500)
      return
    }
    this.selfClosing = true
    if (this.ctx.rng.chance(this.ctx.churn.terminateShare)) {
      this.terminates++
      this.ws.terminate()
    } else {
      this.cleanCloses++
      this.ws.close(1000, 'soak churn')
    }
  }

  /** At the end of the soak: no more reconnects; cut what is still open. */
  shutDown() {
    clearTimeout(this.churnTimer)
    clearTimeout(this.reconnectTimer)
    this.done = true
    if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate()
  }

  beforeConnect() {}
  onOpen() {}
  onServerGoingAway() {}
}

/**
 * A JSON-protocol client that resumes the way docs/protocol.md says: `?after=<last>&stream=<id>`,
 * forgets its last seq when a hello carries a new streamId, never counts a seq twice. It also
 * records every anomaly: duplicates, holes, announced gaps, values other clients saw differently,
 * `state` events that do not follow the last sample.
 */
export class JsonClient extends BaseClient {
  /** @param {{ fromStart?: boolean, churn?: boolean }} options fromStart: first connect with ?after=0 */
  constructor(ctx, id, { fromStart = false, churn = true } = {}) {
    super(ctx, id, { churn })
    this.kind = fromStart ? 'json-from-start' : 'json-live'
    this.fromStart = fromStart
    this.streamId = null
    this.last = 0
    /** @type {Map<string, ReturnType<typeof newRunRecord>>} in order of first hello */
    this.runs = new Map()
    /** The run record of the current connection, set by its hello. */
    this.current = null
    this.firstRun = null
    this.helloCount = 0
  }

  url() {
    const base = `${this.ctx.wsBase()}/v1/stream`
    if (this.streamId !== null) return `${base}?after=${this.last}&stream=${this.streamId}`
    return this.fromStart ? `${base}?after=0` : base
  }

  beforeConnect() {
    this.current = null
  }

  onServerGoingAway() {
    if (this.current) this.current.endedByServer = true
  }

  /** True once this client holds every sample of run `streamId` through `lastSeq`, connected. */
  caughtUp(streamId, lastSeq) {
    return this.open && this.current !== null && this.streamId === streamId && this.last === lastSeq
  }

  onMessage(data, isBinary) {
    if (isBinary) {
      this.malformed++
      this.ctx.unexpected(this, 'message', 'binary frame on the JSON protocol')
      return
    }
    let message
    try {
      message = JSON.parse(data.toString())
    } catch {
      this.malformed++
      this.ctx.unexpected(this, 'message', 'frame is not JSON')
      return
    }
    switch (message.type) {
      case 'hello':
        return this.onHello(message)
      case 'samples':
        return this.onSamples(message)
      case 'gap':
        return this.onGap(message)
      case 'state':
        return this.onState(message)
      default:
        return this.onOther(message)
    }
  }

  onHello(message) {
    this.helloCount++
    const streamId = message.streamId
    if (typeof streamId !== 'string' || !Number.isSafeInteger(message.state?.nextSeq)) {
      this.malformed++
      this.ctx.unexpected(this, 'message', `bad hello ${JSON.stringify(message).slice(0, 200)}`)
      return
    }
    let record = this.runs.get(streamId)
    if (this.streamId === null) {
      // First connection: live from hello.state.nextSeq, or the whole run with ?after=0.
      record = newRunRecord(streamId, this.fromStart ? 1 : message.state.nextSeq)
      this.runs.set(streamId, record)
      this.firstRun = streamId
      this.last = record.start - 1
    } else if (streamId !== this.streamId) {
      // The server restarted: it replays its new run from seq 1.
      this.ctx.counters.newStreamHellos++
      if (record) {
        // A run we already left for a newer one: cannot happen (one server at a time).
        this.ctx.unexpected(this, 'protocol', `hello of an earlier run ${streamId}`)
      } else {
        record = newRunRecord(streamId, 1)
        this.runs.set(streamId, record)
      }
      this.last = 0
    }
    this.streamId = streamId
    this.current = record
    record.connections++
  }

  onSamples(message) {
    const record = this.current
    const { seq, values, times } = message
    if (
      !record ||
      !Number.isSafeInteger(seq) ||
      !Array.isArray(values) ||
      !Array.isArray(times) ||
      times.length !== values.length
    ) {
      this.malformed++
      this.ctx.unexpected(this, 'message', `bad samples message (or before hello) at seq ${seq}`)
      return
    }
    const run = this.ctx.ledger.run(this.streamId)
    let last = this.last
    for (let i = 0; i < values.length; i++) {
      const k = seq + i
      const value = values[i]
      if (value !== 0 && value !== 1) {
        this.malformed++
        continue
      }
      if (k <= last) {
        record.duplicates++
        record.firstDuplicate ??= {
          seq: k,
          last,
          connection: record.connections,
          batchSeq: seq,
          batchLength: values.length
        }
        continue
      }
      if (k > last + 1) this.#skipped(record, last + 1, k - 1)
      last = k
      record.count++
      record.ones += value
      if (!run.check(k, value)) record.disagreements++
    }
    this.last = last
    record.last = last
  }

  #skipped(record, from, to) {
    let covered = 0
    for (const [gapFrom, gapTo] of record.gapsAnnounced) {
      const lo = Math.max(from, gapFrom)
      const hi = Math.min(to, gapTo)
      if (hi >= lo) covered += hi - lo + 1
    }
    const unannounced = to - from + 1 - covered
    record.gapCovered += covered
    if (unannounced > 0) {
      record.holeTotal += unannounced
      if (record.holes.length < 20)
        record.holes.push([from, to, `connection ${record.connections}`])
    }
  }

  onGap(message) {
    const record = this.current
    if (!record || !Number.isSafeInteger(message.from) || !Number.isSafeInteger(message.to)) {
      this.malformed++
      this.ctx.unexpected(this, 'message', `bad gap ${JSON.stringify(message)}`)
      return
    }
    record.gapsAnnounced.push([message.from, message.to])
    record.gapTotal += message.to - message.from + 1
  }

  onState(message) {
    const record = this.current
    const nextSeq = message.state?.nextSeq
    if (!record || !Number.isSafeInteger(nextSeq)) {
      this.malformed++
      this.ctx.unexpected(this, 'message', `bad state ${JSON.stringify(message).slice(0, 200)}`)
      return
    }
    // docs/protocol.md: every sample drawn before the change was sent before this event.
    if (nextSeq !== this.last + 1) {
      record.stateOrderViolations++
      record.firstStateViolation ??= { change: message.change, nextSeq, last: this.last }
    }
  }

  onOther(message) {
    if (message.type === 'error')
      this.ctx.unexpected(this, 'server error', `${message.code}: ${message.message}`)
    else this.ctx.unexpected(this, 'message', `unexpected ${String(message.type).slice(0, 40)}`)
  }
}

/** The one client that steers: a JSON client that never leaves on its own and sends control messages. */
export class Controller extends JsonClient {
  #nextId = 0
  #pending = new Map()

  constructor(ctx, id, token) {
    super(ctx, id, { fromStart: false, churn: false })
    this.kind = 'controller'
    this.token = token
  }

  /** Waits until connected to the current run, sends `body` with the token, resolves to the ack. */
  async request(body, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs
    while (!(this.open && this.current && this.streamId === this.ctx.currentStreamId)) {
      if (Date.now() > deadline)
        throw new Error(`controller not connected to run ${this.ctx.currentStreamId}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const id = ++this.#nextId
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.#pending.delete(id)
          reject(new Error(`no reply to ${JSON.stringify(body)} within ${timeoutMs} ms`))
        },
        Math.max(1000, deadline - Date.now())
      )
      this.#pending.set(id, { resolve, reject, timer })
      this.ws.send(JSON.stringify({ ...body, id, token: this.token }))
    })
  }

  onOther(message) {
    const pending = this.#pending.get(message.id)
    if (!pending || (message.type !== 'ack' && message.type !== 'error'))
      return super.onOther(message)
    this.#pending.delete(message.id)
    clearTimeout(pending.timer)
    if (message.type === 'ack') pending.resolve(message)
    else pending.reject(new Error(`${message.code}: ${message.message}`))
  }
}

/**
 * A reference-dialect client: one "0"/"1" text frame per sample, no sequence numbers, no resume.
 * What it misses while away is lost by design; what it was owed is estimated from the
 * controller's latest seq when it connects.
 */
export class ReferenceClient extends BaseClient {
  constructor(ctx, id) {
    super(ctx, id)
    this.kind = 'reference'
    /** @type {Map<number, { estStart: number, received: number, ones: number }>} by run index */
    this.runs = new Map()
    this.current = null
  }

  url() {
    return `${this.ctx.wsBase()}${REFERENCE_PATHS[this.attempts % REFERENCE_PATHS.length]}`
  }

  onOpen() {
    const index = this.ctx.runIndex
    let record = this.runs.get(index)
    if (!record) {
      record = { estStart: this.ctx.liveSeq() + 1, received: 0, ones: 0 }
      this.runs.set(index, record)
    }
    this.current = record
  }

  onMessage(data, isBinary) {
    const byte = data.length === 1 ? data[0] : -1
    if (isBinary || (byte !== 0x30 && byte !== 0x31) || !this.current) {
      this.malformed++
      this.ctx.unexpected(
        this,
        'message',
        `reference frame ${JSON.stringify(String(data).slice(0, 40))}`
      )
      return
    }
    this.current.received++
    if (byte === 0x31) this.current.ones++
  }
}
