import type { Clock } from '../../shared/clock'
import type { FaultPlan } from './fault-plan'

/** What an outbox needs of a connection, whatever its transport (WebSocket or SSE). */
export interface FaultTransport {
  /** Writes bytes holding `frames` frames or events now (the connection's own backpressure rule applies). */
  write(bytes: Buffer, frames: number): void
  /** Cuts the connection abruptly: no close frame, no end of stream. */
  cut(): void
  /** Stops reading from the peer (so its pings go unanswered); the socket stays open. */
  stall(): void
}

/**
 * What one held write costs beyond its bytes (its slot in three arrays, with their growth),
 * counted in {@link FaultOutbox.heldBytes} so that the slow-consumer limit bounds the memory
 * faults hold back, not only the bytes.
 */
export const HELD_WRITE_OVERHEAD_BYTES = 48

/**
 * The write side of a connection with faults: asks the {@link FaultPlan} what to send and when,
 * holds delayed writes in order and releases them on the injected clock, cuts the connection at
 * its `disconnect` time, and from its `stall` time on sends nothing (queued writes are dropped,
 * as a hung peer's would be) and stops reading. Connections without faults never get one.
 */
export class FaultOutbox {
  readonly #plan: FaultPlan
  readonly #clock: Clock
  readonly #transport: FaultTransport
  readonly #framesPerSample: boolean
  // The held writes, oldest first from #head, as parallel arrays: a write at 1 ms costs ~50 bytes.
  #dueAtMs: number[] = []
  #bytes: Buffer[] = []
  #frames: number[] = []
  #head = 0
  #heldBytes = 0
  #timer: unknown = null
  #stateTimer: unknown = null
  #stalled = false
  #closed = false

  /**
   * @param framesPerSample true for the reference dialect (one frame per sample), false where a
   *   run of samples is one message (JSON, SSE): only for counting frames.
   */
  constructor(plan: FaultPlan, clock: Clock, transport: FaultTransport, framesPerSample = false) {
    this.#framesPerSample = framesPerSample
    this.#plan = plan
    this.#clock = clock
    this.#transport = transport
    const next = this.#nextTransition()
    if (next !== null)
      this.#stateTimer = clock.setTimer(this.#transition, Math.max(0, next - clock.monotonicMs()))
  }

  get plan(): FaultPlan {
    return this.#plan
  }

  /**
   * Memory held back for later writes, bytes (each write's bytes plus
   * {@link HELD_WRITE_OVERHEAD_BYTES}): it counts toward the connection's slow-consumer limit,
   * which its owner checks before handing over more.
   */
  get heldBytes(): number {
    return this.#heldBytes
  }

  /** Whether the connection is stalled: its pings must go unanswered and its keep-alives unsent. */
  get stalled(): boolean {
    return this.#stalled
  }

  /**
   * Sends consecutive samples `firstSeq…` (count of them) as the plan says: `encodeRun(start,
   * end)` encodes the batch's samples with indices in [start, end) in the connection's dialect.
   */
  sendSamples(
    firstSeq: number,
    count: number,
    encodeRun: (start: number, end: number) => Buffer
  ): void {
    if (this.#stalled || this.#closed) return
    const now = this.#clock.monotonicMs()
    const { runs, sendAtMs } = this.#plan.planSamples(firstSeq, count, now)
    if (runs.length === 0) return
    const bytes =
      runs.length === 1
        ? encodeRun(runs[0]![0], runs[0]![1])
        : Buffer.concat(runs.map(([s, e]) => encodeRun(s, e)))
    const frames = this.#framesPerSample
      ? runs.reduce((sum, [s, e]) => sum + e - s, 0)
      : runs.length
    this.#enqueue(sendAtMs, bytes, frames, now)
  }

  /** Sends a message that is not samples, in its place behind any delayed samples. */
  sendMessage(bytes: Buffer): void {
    if (this.#stalled || this.#closed) return
    const now = this.#clock.monotonicMs()
    this.#enqueue(this.#plan.planMessage(now), bytes, 1, now)
  }

  /** Stops every timer and drops what is queued (the connection closed). Idempotent. */
  close(): void {
    this.#closed = true
    this.#dropHeld()
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer)
    if (this.#stateTimer !== null) this.#clock.clearTimer(this.#stateTimer)
    this.#timer = this.#stateTimer = null
  }

  #enqueue(atMs: number, bytes: Buffer, frames: number, now: number): void {
    if (atMs <= now && this.#head === this.#dueAtMs.length) {
      this.#transport.write(bytes, frames)
      return
    }
    this.#dueAtMs.push(atMs)
    this.#bytes.push(bytes)
    this.#frames.push(frames)
    this.#heldBytes += bytes.length + HELD_WRITE_OVERHEAD_BYTES
    if (this.#timer === null) this.#arm()
  }

  #arm(): void {
    if (this.#head === this.#dueAtMs.length) return
    this.#timer = this.#clock.setTimer(
      this.#release,
      Math.max(0, this.#dueAtMs[this.#head]! - this.#clock.monotonicMs())
    )
  }

  #dropHeld(): void {
    this.#dueAtMs = []
    this.#bytes = []
    this.#frames = []
    this.#head = 0
    this.#heldBytes = 0
  }

  #release = (): void => {
    this.#timer = null
    if (this.#stalled || this.#closed) return
    const now = this.#clock.monotonicMs()
    const first = this.#head
    let frames = 0
    while (this.#head < this.#dueAtMs.length && this.#dueAtMs[this.#head]! <= now) {
      const bytes = this.#bytes[this.#head]!
      this.#heldBytes -= bytes.length + HELD_WRITE_OVERHEAD_BYTES
      frames += this.#frames[this.#head]!
      this.#head++
    }
    const due = this.#bytes.slice(first, this.#head)
    if (this.#head === this.#dueAtMs.length) this.#dropHeld()
    else if (this.#head > 1024 && this.#head * 2 > this.#dueAtMs.length) {
      // Released writes leave the front in bulk, not one shift() at a time.
      this.#dueAtMs.splice(0, this.#head)
      this.#bytes.splice(0, this.#head)
      this.#frames.splice(0, this.#head)
      this.#head = 0
    }
    if (due.length) this.#transport.write(due.length === 1 ? due[0]! : Buffer.concat(due), frames)
    this.#arm()
  }

  #nextTransition(): number | null {
    const times = [this.#stalled ? null : this.#plan.stallAtMs, this.#plan.disconnectAtMs].filter(
      (t): t is number => t !== null
    )
    return times.length ? Math.min(...times) : null
  }

  #transition = (): void => {
    this.#stateTimer = null
    if (this.#closed) return
    const now = this.#clock.monotonicMs()
    const { disconnectAtMs, stallAtMs } = this.#plan
    if (disconnectAtMs !== null && now >= disconnectAtMs) {
      this.#plan.count('disconnect')
      this.close()
      this.#transport.cut()
      return
    }
    if (!this.#stalled && stallAtMs !== null && now >= stallAtMs) {
      this.#stalled = true
      this.#plan.count('stall')
      this.#dropHeld()
      if (this.#timer !== null) this.#clock.clearTimer(this.#timer)
      this.#timer = null
      this.#transport.stall()
    }
    const next = this.#nextTransition()
    if (next !== null)
      this.#stateTimer = this.#clock.setTimer(this.#transition, Math.max(0, next - now))
  }
}
