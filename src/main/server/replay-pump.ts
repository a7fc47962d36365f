import type { SampleBatch } from '../sampler/sample-source'
import { REPLAY_CHUNK_SAMPLES } from './constants'
import type { ReplayBuffer } from './replay-buffer'

/** How a {@link ReplayPump} talks to one client. */
export interface ReplayTarget {
  /** Sends one chunk of held samples. */
  sendSamples(chunk: SampleBatch): void
  /** Tells the client that samples `from`..`to` are gone from the buffer. */
  sendGap(from: number, to: number): void
  /** Bytes written but not yet taken by the peer. */
  bufferedBytes(): number
  /** Calls `resume` once the peer has taken what is buffered (the socket's 'drain'). */
  onDrain(resume: () => void): void
  /** False once the connection is closing or closed: the pump then stops. */
  isOpen(): boolean
  /** The replay has caught up: the client now gets live broadcasts. */
  goLive(): void
}

/**
 * Replays held samples to one resuming client at the pace the client reads, then hands it over
 * to the live stream. While it replays, the client gets no live broadcasts; the samples those
 * carry are in the buffer already and the pump sends them in turn, so the hand-over has no gap
 * and no duplicate. Pacing keeps a long resume (10 minutes at 1 ms is ~12 MB of JSON) from
 * piling up in memory or being mistaken for a slow consumer.
 */
export class ReplayPump {
  #cursor: number
  #done = false

  /**
   * @param fromSeq first sequence number the client lacks.
   * @param liveFrom first sequence number the next live broadcast will carry (read at each step).
   * @param highWaterBytes the pump waits for a drain while more than this is buffered.
   */
  constructor(
    private readonly buffer: ReplayBuffer,
    fromSeq: number,
    private readonly liveFrom: () => number,
    private readonly target: ReplayTarget,
    private readonly highWaterBytes: number
  ) {
    this.#cursor = fromSeq
  }

  /** Sends as much as the client will take now; continues by itself on drain. */
  pump = (): void => {
    while (!this.#done) {
      if (!this.target.isOpen()) {
        this.#done = true
        return
      }
      const end = this.liveFrom()
      const oldest = this.buffer.oldestSeq
      if (this.#cursor < oldest && this.#cursor < end) {
        const to = Math.min(oldest, end) - 1
        this.target.sendGap(this.#cursor, to)
        this.#cursor = to + 1
      }
      if (this.#cursor >= end) {
        this.#done = true
        this.target.goLive()
        return
      }
      if (this.target.bufferedBytes() > this.highWaterBytes) {
        this.target.onDrain(this.pump)
        return
      }
      const chunk = this.buffer.range(this.#cursor, end, REPLAY_CHUNK_SAMPLES).next()
      if (chunk.done) {
        this.#cursor = end
        continue
      }
      this.target.sendSamples(chunk.value)
      this.#cursor = chunk.value.firstSeq + chunk.value.values.length
    }
  }
}
