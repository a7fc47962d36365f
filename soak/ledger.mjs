// What the server drew, per run (one run = one server process = one streamId): the truth the
// clients are checked against, and the first-seen value of every sequence number, so that all
// clients holding seq k can be checked to agree on its value.

const UNKNOWN = 255

export class RunLedger {
  /** @type {Map<string, Run>} */
  #byStream = new Map()

  /** The run of `streamId`, created on first mention (a client may greet a run before we do). */
  run(streamId) {
    let run = this.#byStream.get(streamId)
    if (!run) {
      run = new Run(streamId)
      this.#byStream.set(streamId, run)
    }
    return run
  }

  /** Runs in order of their index; runs only clients mentioned (index -1) come last. */
  runs() {
    return [...this.#byStream.values()].sort(
      (a, b) => (a.index < 0 ? 1e9 : a.index) - (b.index < 0 ? 1e9 : b.index)
    )
  }
}

export class Run {
  constructor(streamId) {
    this.streamId = streamId
    /** Order among the soak's server runs; -1 until the director describes the run. */
    this.index = -1
    this.port = 0
    this.pid = 0
    this.startSettings = null
    this.startedAtMs = 0
    this.endedAtMs = 0
    /**
     * How it ended: 'graceful' (sampler stopped, clients drained, then SIGTERM), 'abrupt'
     * (SIGTERM while drawing, churn going on), 'final' (graceful, the end of the soak),
     * 'crash' (the server exited by itself). Null while running.
     */
    this.endKind = null
    /** Exact final count for graceful ends: nextSeq - 1 of the stop ack. */
    this.ackLastSeq = null
    /** samplesDrawn of /status read just before the stop (exact after a stop, a lower bound otherwise). */
    this.statusDrawn = null
    this.statusStreamId = null
    this.statusRunning = null
    this.peakHwmKb = 0
    this.rssAtEndKb = 0
    this.cpuSeconds = null
    this.exit = null
    this.drain = null
    this.jsonClientsAtEnd = null
    this.referenceClientsAtEnd = null
    this.maxSeqSeen = 0
    this.disagreements = 0
    this.firstDisagreement = null
    this.values = new Uint8Array(1 << 14).fill(UNKNOWN)
    this.prefixOnes = null
  }

  /**
   * Records that a client received `value` for `seq`; returns false when an earlier client
   * received another value for it.
   */
  check(seq, value) {
    if (seq >= this.values.length) {
      let size = this.values.length
      while (size <= seq) size *= 2
      const grown = new Uint8Array(size).fill(UNKNOWN)
      grown.set(this.values)
      this.values = grown
    }
    const held = this.values[seq]
    if (held === UNKNOWN) {
      this.values[seq] = value
      if (seq > this.maxSeqSeen) this.maxSeqSeen = seq
      return true
    }
    if (held === value) return true
    this.disagreements++
    this.firstDisagreement ??= { seq, first: held, other: value }
    return false
  }

  /** The run's last sequence number: exact for graceful ends, the highest seen otherwise. */
  get truthLastSeq() {
    return this.ackLastSeq ?? this.maxSeqSeen
  }

  get isGraceful() {
    return this.endKind === 'graceful' || this.endKind === 'final'
  }

  /** Number of 1s among seqs from..to (inclusive), from the first-seen values. */
  onesBetween(from, to) {
    if (!this.prefixOnes) {
      const prefix = new Uint32Array(this.values.length + 1)
      for (let i = 0; i < this.values.length; i++)
        prefix[i + 1] = prefix[i] + (this.values[i] === 1 ? 1 : 0)
      this.prefixOnes = prefix
    }
    if (to < from) return 0
    return this.prefixOnes[to + 1] - this.prefixOnes[from]
  }
}
