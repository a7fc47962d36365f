/**
 * The timeline of what happened to the stream and the posterior, placed at the sample count n
 * where it took effect: the true-p steps, the marks on the estimate chart and the change log.
 * A change the server reports for a sequence number not yet counted (a replay is still catching
 * up) waits until counting reaches it, so it lands exactly where it took effect.
 */
import type { BetaShape } from '../../../shared/posterior/beta-posterior'
import type { MemoryKind } from '../../../shared/posterior/posterior-memory'
import type { ScenarioHappening, ScenarioStepRef } from '../stream/stream-events'

/** The tracking model in use and its parameter. */
export interface TrackingSetting {
  memory: MemoryKind
  windowSize: number
  forgetting: number
}

/** Something that happened, as data; components turn it into words. */
export type TimelineEvent =
  /** The page joined the run: p is known from here on (unless replayed changes told earlier). */
  | { kind: 'joined'; p: number | null }
  /** p is known to be `p` from here (told by another kind of state event); not logged. */
  | { kind: 'known'; p: number }
  /** `previous` is null when unknown (the first change replayed to a page that joined late). */
  /** `scenario`: the scenario step that made the change, when one did. */
  | { kind: 'p'; p: number; previous: number | null; scenario?: ScenarioStepRef }
  | { kind: 'interval'; intervalMs: number; previous: number | null }
  | { kind: 'running'; running: boolean }
  | { kind: 'seed'; seed: number | null }
  | ({ kind: 'scenario'; what: ScenarioHappening; pass: number } & ScenarioStepRef)
  | { kind: 'gap'; from: number; to: number; announced: boolean; beforeJoin: boolean }
  /** The server restarted: a new run, numbered from 1 again. */
  | { kind: 'restart' }
  /** The user reset the posterior. */
  | { kind: 'reset' }
  | { kind: 'prior'; prior: BetaShape }
  | { kind: 'memory'; setting: TrackingSetting }

/** A line of the change log. */
export interface TimelineEntry {
  /** Unique, increasing; a stable key for lists. */
  id: number
  /** Samples counted when it took effect. */
  n: number
  /** Wall-clock time it was recorded, epoch ms. */
  atMs: number
  event: TimelineEvent
}

/** A point of the true-p step line: p holds from sample n on. */
export interface PStep {
  n: number
  p: number
}

/**
 * The kinds of mark on the estimate chart; `joined` is not stored but drawn where the true-p
 * line starts, when the p before it is unknown.
 */
export type MarkKind =
  'p' | 'interval' | 'prior' | 'memory' | 'gap' | 'restart' | 'joined' | 'scenario'

/** A mark on the estimate chart. */
export interface TimelineMark {
  n: number
  kind: MarkKind
  event: TimelineEvent
}

const MAX_P_STEPS = 1000
const MAX_MARKS = 500
const MAX_LOG_ENTRIES = 100

interface Pending {
  event: TimelineEvent
  atSeq: number
}

/** Bounded timeline; everything in it is plain data, safe to hand to a chart. */
export class Timeline {
  #steps: PStep[] = []
  #marks: TimelineMark[] = []
  #log: TimelineEntry[] = []
  #pending: Pending[] = []
  #nextId = 1
  #version = 0

  /** @param now wall clock, epoch ms. */
  constructor(private readonly now: () => number) {}

  /** True-p steps, oldest first (empty until p is known). */
  get pSteps(): readonly PStep[] {
    return this.#steps
  }

  /** The latest known true p from the timeline's point of view (the last step), or null. */
  get lastP(): number | null {
    return this.#steps.at(-1)?.p ?? null
  }

  /** Chart marks, oldest first. */
  get marks(): readonly TimelineMark[] {
    return this.#marks
  }

  /** Change log, newest first, at most 100 entries. */
  get log(): readonly TimelineEntry[] {
    return this.#log
  }

  /** Changes whenever anything shown changed; lets readers skip copying. */
  get version(): number {
    return this.#version
  }

  /** Sequence number of the earliest waiting event, or Infinity when none waits. */
  get nextPendingSeq(): number {
    return this.#pending[0]?.atSeq ?? Infinity
  }

  /** Records `event` now, at sample count `n`. */
  add(event: TimelineEvent, n: number): void {
    switch (event.kind) {
      case 'joined':
      case 'known':
        // Replayed changes may already have told the p; a step only where it is news.
        if (event.p !== null && this.lastP !== event.p) this.#step(n, event.p)
        if (event.kind === 'known') {
          this.#version++
          return // not a line of the log: the event that told it has its own
        }
        break
      case 'p':
        this.#step(n, event.p)
        this.#mark(n, 'p', event)
        break
      case 'interval':
      case 'prior':
      case 'memory':
      case 'restart':
        this.#mark(n, event.kind, event)
        break
      case 'gap':
        if (!event.beforeJoin) this.#mark(n, 'gap', event)
        break
      case 'scenario':
        // Its p and interval changes are marked as such; here where it began and ended.
        if (event.what === 'loaded' || event.what === 'ended' || event.what === 'finished')
          this.#mark(n, 'scenario', event)
        break
      case 'running':
      case 'seed':
      case 'reset':
        break
    }
    this.#log.unshift({ id: this.#nextId++, n, atMs: this.now(), event })
    if (this.#log.length > MAX_LOG_ENTRIES) this.#log.length = MAX_LOG_ENTRIES
    this.#version++
  }

  /** Holds `event` until sample `atSeq` is about to be counted (see {@link placeUpTo}). */
  schedule(event: TimelineEvent, atSeq: number): void {
    let i = this.#pending.length
    while (i > 0 && (this.#pending[i - 1] as Pending).atSeq > atSeq) i--
    this.#pending.splice(i, 0, { event, atSeq })
  }

  /** Records, at count `n`, every waiting event due by sequence number `seq`. */
  placeUpTo(seq: number, n: number): void {
    while (this.#pending.length > 0 && (this.#pending[0] as Pending).atSeq <= seq) {
      this.add((this.#pending.shift() as Pending).event, n)
    }
  }

  /** Drops waiting events (their sequence numbers belong to a run that ended). */
  dropPending(): void {
    this.#pending = []
  }

  /**
   * The posterior was reset: steps and marks start over at n = 0 (the true p carries on), the
   * log keeps its history and gets a `reset` line.
   */
  reset(): void {
    const p = this.lastP
    this.#steps = p === null ? [] : [{ n: 0, p }]
    this.#marks = []
    this.add({ kind: 'reset' }, 0)
  }

  // p holds from n on; a later change at the same n replaces the earlier one's step.
  #step(n: number, p: number): void {
    const last = this.#steps.at(-1)
    if (last && last.n === n) this.#steps[this.#steps.length - 1] = { n, p }
    else pushBounded(this.#steps, { n, p }, MAX_P_STEPS)
  }

  #mark(n: number, kind: MarkKind, event: TimelineEvent): void {
    pushBounded(this.#marks, { n, kind, event }, MAX_MARKS)
  }
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item)
  if (list.length > max) list.splice(0, list.length - max)
}
