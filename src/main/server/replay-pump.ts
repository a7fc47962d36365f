import type { SampleBatch } from '../sampler/sample-source'
import { REPLAY_CHUNK_SAMPLES } from './constants'
import type { Delivery, Framer, Outlet } from './delivery'
import type { ReplayBuffer } from './replay-buffer'
import { samplesPayload } from './samples-payload'
import type { StateLog } from './state-log'

/** How a {@link ReplayPump} talks to one client. */
export interface ReplayTarget {
  /** Sends one chunk of held samples. */
  sendSamples(chunk: SampleBatch): void
  /** Tells the client that samples `from`..`to` are gone from the buffer. */
  sendGap(from: number, to: number): void
  /** Sends a logged `state` event (its JSON text). */
  sendState(json: string): void
  /** Bytes written but not yet taken by the peer. */
  bufferedBytes(): number
  /** Calls `resume` once the peer has taken what is buffered (the socket's 'drain'). */
  onDrain(resume: () => void): void
  /** False once the connection is closing or closed: the pump then stops. */
  isOpen(): boolean
  /** The replay has caught up: the client now gets live broadcasts. */
  goLive(): void
}

/** Options of {@link ReplayPump}. */
export interface ReplayPumpOptions {
  buffer: ReplayBuffer
  /** The `state` events, sent among the samples where they happened. */
  states: StateLog
  /** First sequence number the client lacks. */
  fromSeq: number
  /** First sequence number the next live broadcast will carry (read at each step). */
  liveFrom: () => number
  target: ReplayTarget
  /** The pump waits for a drain while more than this is buffered, bytes. */
  highWaterBytes: number
}

/**
 * Replays held samples, and the `state` events among them, to one resuming client at the pace
 * the client reads, then hands it over to the live stream. While it replays, the client gets no
 * live broadcasts; what those carry is in the buffer and the log already and the pump sends it
 * in turn, so the hand-over has no gap and no duplicate, and every state event arrives right
 * after the last sample drawn before it. Pacing keeps a long resume (10 minutes at 1 ms is
 * ~12 MB of JSON) from piling up in memory or being mistaken for a slow consumer.
 */
export class ReplayPump {
  readonly #options: ReplayPumpOptions
  #cursor: number
  /** Number of the next state event to send. */
  #stateIndex: number
  #done = false

  constructor(options: ReplayPumpOptions) {
    this.#options = options
    this.#cursor = options.fromSeq
    // A change at the resume point itself is sent again: the client may have left before it.
    this.#stateIndex = options.states.firstAtOrAfter(options.fromSeq)
  }

  /** Sends as much as the client will take now; continues by itself on drain. */
  pump = (): void => {
    const { buffer, liveFrom, target, highWaterBytes } = this.#options
    while (!this.#done) {
      if (!target.isOpen()) {
        this.#done = true
        return
      }
      const end = liveFrom()
      const oldest = buffer.oldestSeq
      if (this.#cursor < oldest && this.#cursor < end) {
        const to = Math.min(oldest, end) - 1
        target.sendGap(this.#cursor, to)
        this.#cursor = to + 1
      }
      this.#sendStatesUpTo(this.#cursor)
      if (this.#cursor >= end) {
        // Every logged change happened before the next live sample: send the rest, then go live.
        this.#sendStatesUpTo(Infinity)
        this.#done = true
        target.goLive()
        return
      }
      if (target.bufferedBytes() > highWaterBytes) {
        target.onDrain(this.pump)
        return
      }
      const upTo = Math.min(end, this.#nextStatePosition())
      const chunk = buffer.range(this.#cursor, upTo, REPLAY_CHUNK_SAMPLES).next()
      if (chunk.done) {
        this.#cursor = upTo
        continue
      }
      target.sendSamples(chunk.value)
      this.#cursor = chunk.value.firstSeq + chunk.value.values.length
    }
  }

  /** Sends the logged events that happened before sample `seq` was drawn. */
  #sendStatesUpTo(seq: number): void {
    const { states, target } = this.#options
    this.#stateIndex = Math.max(this.#stateIndex, states.firstIndex)
    for (let entry = states.at(this.#stateIndex); entry && entry.position <= seq;) {
      target.sendState(entry.json)
      entry = states.at(++this.#stateIndex)
    }
  }

  #nextStatePosition(): number {
    const { states } = this.#options
    return states.at(Math.max(this.#stateIndex, states.firstIndex))?.position ?? Infinity
  }
}

/** A connection a replay can run on: an outlet that can wait for a drain and skip broadcasts. */
export interface ReplayConnection extends Outlet {
  /** False while its replay runs: live broadcasts skip it until then. */
  live: boolean
  /** Calls `resume` once the connection has flushed what is buffered. */
  onDrain(resume: () => void): void
}

/** The history a replay reads and how it sends: one per server, shared by every transport. */
export interface ReplaySource {
  buffer: ReplayBuffer
  states: StateLog
  /** First sequence number the next live broadcast will carry. */
  liveFrom: () => number
  delivery: Delivery
  /** The pump waits for a drain while more than this is buffered, bytes. */
  highWaterBytes: number
}

/**
 * Replays to `connection` everything from `fromSeq` on (see {@link ReplayPump}), framed by
 * `frame` for its transport and sent through the same delivery as every other byte it gets,
 * then lets live broadcasts reach it.
 */
export function startReplay(
  connection: ReplayConnection,
  fromSeq: number,
  frame: Framer,
  { buffer, states, liveFrom, delivery, highWaterBytes }: ReplaySource
): void {
  connection.live = false
  const target: ReplayTarget = {
    sendSamples: (chunk) =>
      delivery.send(connection, frame('samples', samplesPayload(chunk), lastSeqOf(chunk)), 1),
    sendGap: (from, to) =>
      delivery.send(connection, frame('gap', JSON.stringify({ type: 'gap', from, to })), 1),
    sendState: (json) => delivery.send(connection, frame('state', json), 1),
    bufferedBytes: () => connection.bufferedBytes(),
    onDrain: (resume) => connection.onDrain(resume),
    isOpen: () => connection.isOpen(),
    goLive: () => {
      connection.live = true
    }
  }
  new ReplayPump({ buffer, states, fromSeq, liveFrom, target, highWaterBytes }).pump()
}

/** Sequence number of a batch's last sample. */
export function lastSeqOf(batch: SampleBatch): number {
  return batch.firstSeq + batch.values.length - 1
}
