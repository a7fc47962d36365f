/**
 * What the stream session tells the layer after it (the posterior): samples, losses and changes,
 * each placed in stream order by sequence number. The session never looks back at what the sink
 * does with them.
 */
import type { StreamState } from '../../../shared/protocol/messages'

/** A step of a running scenario, for a change it made. */
export interface ScenarioStepRef {
  /** The scenario's name. */
  name: string
  /** 1-based step in force; `steps` in all. */
  step: number
  steps: number
}

/** What happened to the scenario: loaded (or replaced), removed, finished, a new pass of a loop, a step that changed neither p nor the interval. */
export type ScenarioHappening = 'loaded' | 'ended' | 'finished' | 'pass' | 'step'

/** A change the server reported, effective from sample `atSeq` on. */
export type StreamChange =
  /**
   * The page joined a run (opened, or the server restarted): counting starts after sequence
   * number `afterSeq`, and p is known from `atSeq` on.
   */
  | { kind: 'joined'; state: StreamState; afterSeq: number }
  /** `previous` is null when the page does not know it (the first change of a replay). */
  | { kind: 'p'; p: number; previous: number | null; scenario?: ScenarioStepRef }
  | { kind: 'interval'; intervalMs: number; previous: number | null }
  | { kind: 'running'; running: boolean }
  /**
   * A state event whose change was not p still tells the whole state: p is `p` from `atSeq` on
   * (news to a page that joined late and has not seen p yet).
   */
  | { kind: 'known'; p: number }
  /** The stream was reseeded: from `atSeq` on its values follow the new seed. */
  | { kind: 'seed'; seed: number | null }
  /** The scenario changed; `pass` counts the passes of a loop (1 without). */
  | ({ kind: 'scenario'; what: ScenarioHappening; pass: number } & ScenarioStepRef)

/** Samples `from`..`to` (inclusive) will never arrive. */
export interface StreamGap {
  from: number
  to: number
  /** True when the server said so in a `gap` message (else found by sequence numbers). */
  announced: boolean
  /**
   * True when the samples were drawn before this page joined the run and had already left the
   * server's replay buffer: history the page could not get, rather than samples lost in transit.
   */
  beforeJoin: boolean
}

/** Where the session delivers the stream. Implemented by the posterior layer. */
export interface StreamSink {
  /**
   * Fresh samples: `values[i]` (drawn at `times[i]`, epoch ms) has sequence number `seq + i`.
   * Only indices from `from` on are new; earlier ones were already delivered.
   */
  addSamples(seq: number, values: ArrayLike<0 | 1>, times: ArrayLike<number>, from: number): void
  /** Samples that will never arrive; sequence numbers move past them. */
  addGap(gap: StreamGap): void
  /** A change effective from sample `atSeq` on (every earlier sample was drawn before it). */
  addChange(change: StreamChange, atSeq: number): void
  /**
   * The server restarted: a new run numbers its samples from 1 again. Counting goes on; what
   * was waiting for a sequence number of the old run is dropped.
   */
  newRun(): void
  /** The user restarted counting at sequence number `afterSeq` (exclusive). */
  restartCount(afterSeq: number): void
}
