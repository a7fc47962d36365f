import { counterUniform, RandomDomain } from '../random/counter-random'
import type { FaultSpec } from './fault-spec'

/** Kinds of fault, as counted in `/status` and the metrics. */
export const FAULT_KINDS = ['drop', 'dup', 'delay', 'burst', 'disconnect', 'stall'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]
/** How often each fault was applied: samples dropped or duplicated, writes delayed, bursts released, connections cut or stalled. */
export type FaultCounts = Record<FaultKind, number>

/** A count of 0 for every kind of fault. */
export function noFaults(): FaultCounts {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as FaultCounts
}

/** What to send of a batch of consecutive samples, and when. */
export interface PlannedSamples {
  /**
   * Index ranges `[start, end)` of the batch to send, in order, each a run of consecutive
   * samples: a dropped sample falls between runs, a duplicated one ends a run and starts the next.
   * Empty when every sample was dropped.
   */
  runs: Array<[number, number]>
  /** Monotonic ms at which to write (at once when ≤ now). */
  sendAtMs: number
}

/**
 * One connection's faults, decided without timers or sockets: the caller asks, per batch, what
 * to send and when, and writes it. Drop and duplicate decisions for sample n are a pure function
 * of (seed, n), from their own counter-based domains, so the same `faultseed` gives the same
 * missing and repeated sequence numbers on every run, and the sample generator is never touched.
 * Delays never reorder: a write is due no earlier than the one before it (TCP does not reorder
 * either). Non-sample messages (state, gap) keep their place behind delayed samples.
 */
export class FaultPlan {
  readonly spec: FaultSpec
  /** Monotonic ms at which to cut the connection, or null. */
  readonly disconnectAtMs: number | null
  /** Monotonic ms from which the connection stalls, or null. */
  readonly stallAtMs: number | null
  readonly #connectedAtMs: number
  #lastSendAtMs = Number.NEGATIVE_INFINITY
  #lastBurstAtMs = Number.NEGATIVE_INFINITY
  readonly #counts = noFaults()

  readonly #onFault: (kind: FaultKind, count: number) => void

  /**
   * @param connectedAtMs monotonic ms at which the connection opened.
   * @param onFault told of every fault applied (the server's totals outlive the connection).
   */
  constructor(
    spec: FaultSpec,
    connectedAtMs: number,
    onFault: (kind: FaultKind, count: number) => void = () => undefined
  ) {
    this.spec = spec
    this.#onFault = onFault
    this.#connectedAtMs = connectedAtMs
    this.disconnectAtMs =
      spec.disconnectAfterMs === null ? null : connectedAtMs + spec.disconnectAfterMs
    this.stallAtMs = spec.stallAfterMs === null ? null : connectedAtMs + spec.stallAfterMs
  }

  /** What to send of samples `firstSeq … firstSeq + count − 1`, drawn now. */
  planSamples(firstSeq: number, count: number, nowMs: number): PlannedSamples {
    const { drop, dup, seed } = this.spec
    const runs: Array<[number, number]> = []
    if (drop === 0 && dup === 0) runs.push([0, count])
    else {
      let start = -1
      for (let i = 0; i < count; i++) {
        const seq = firstSeq + i
        if (drop > 0 && counterUniform(seed, seq, RandomDomain.FaultDrop) < drop) {
          this.#bump('drop')
          if (start >= 0) runs.push([start, i])
          start = -1
          continue
        }
        if (start < 0) start = i
        if (dup > 0 && counterUniform(seed, seq, RandomDomain.FaultDuplicate) < dup) {
          this.#bump('dup')
          runs.push([start, i + 1])
          start = i
        }
      }
      if (start >= 0) runs.push([start, count])
    }
    if (runs.length === 0) return { runs, sendAtMs: nowMs }
    return { runs, sendAtMs: this.#schedule(nowMs, this.#delayFor(firstSeq)) }
  }

  /** When to write a message that is not samples (state, gap, ack): in order, undelayed itself. */
  planMessage(nowMs: number): number {
    return this.#schedule(nowMs, 0)
  }

  /** Whether the connection is stalled at `nowMs`: nothing is sent and pings go unanswered. */
  stalled(nowMs: number): boolean {
    return this.stallAtMs !== null && nowMs >= this.stallAtMs
  }

  /** Counts a fault the caller applied itself (a disconnect, the start of a stall). */
  count(kind: 'disconnect' | 'stall'): void {
    this.#bump(kind)
  }

  #bump(kind: FaultKind): void {
    this.#counts[kind]++
    this.#onFault(kind, 1)
  }

  counts(): FaultCounts {
    return { ...this.#counts }
  }

  #delayFor(firstSeq: number): number {
    const delay = this.spec.delay
    if (!delay) return 0
    if (delay.minMs === delay.maxMs) return delay.minMs
    return (
      delay.minMs +
      (delay.maxMs - delay.minMs) *
        counterUniform(this.spec.seed, firstSeq, RandomDomain.FaultDelay)
    )
  }

  #schedule(nowMs: number, delayMs: number): number {
    let at = nowMs + delayMs
    const burst = this.spec.burstMs
    if (burst !== null) {
      // What is due in [k·B, (k+1)·B) after connecting goes out at (k+1)·B, all in one write.
      at = this.#connectedAtMs + (Math.floor((at - this.#connectedAtMs) / burst) + 1) * burst
    }
    at = Math.max(at, this.#lastSendAtMs)
    if (burst !== null && at > this.#lastBurstAtMs) {
      this.#lastBurstAtMs = at
      this.#bump('burst')
    }
    if (at > nowMs && delayMs > 0) this.#bump('delay')
    this.#lastSendAtMs = at
    return at
  }
}
