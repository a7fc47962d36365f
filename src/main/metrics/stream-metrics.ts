import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'

/** Everything `GET /metrics` reports about one server, as totals since it started. */
export interface MetricsSnapshot {
  streamId: string
  /** Seed of the sample generator; null when the samples come from a file. */
  seed: number | null
  /** `sampler`, `replay` or `follow`. */
  source: string
  /** Connected clients by the path they connected to (`/websocket/`, `/`, `/v1/stream`, `/v1/events`). */
  clients: Readonly<Record<string, number>>
  samplesDrawn: number
  /** Frames (WebSocket) or events (SSE) written, by dialect (`reference`, `json`, `sse`). */
  framesSent: Readonly<Record<string, number>>
  /** Bytes written, by dialect. */
  bytesSent: Readonly<Record<string, number>>
  slowConsumersDropped: number
  /** Faults applied, by kind (`drop`, `dup`, `delay`, `burst`, `disconnect`, `stall`). */
  faults: Readonly<Record<string, number>>
  replayBuffer: { held: number; capacity: number }
  /** Control messages answered, by result: `ack` or the error code. */
  controlMessages: Readonly<Record<string, number>>
  running: boolean
  /** p in force; null when unknown (a file source without recorded p). */
  p: number | null
  intervalMs: number
}

/** The Prometheus text exposition of one server's metrics. */
export interface StreamMetrics {
  /** `Content-Type` of {@link render}'s text. */
  readonly contentType: string
  /** Reads a fresh snapshot and renders every metric, this process's own included. */
  render(): Promise<string>
}

// Process metrics (CPU, memory, event-loop lag, GC) are the process's, not a server's: one
// registry for the whole process, however many servers it runs (tests run dozens).
let processRegistry: Registry | null = null
const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total'
]
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 })
    // prom-client names three gauges "…_total", which promtool's lint refuses (only counters
    // end in _total); the handle and request counts they carry are not worth a failing check.
    for (const name of LINT_FAILING_DEFAULTS) processRegistry.removeSingleMetric(name)
  }
  return processRegistry
}

/**
 * Defines the stream's metrics (prefix `bernoulli_`) on a registry of their own and fills them
 * from `snapshot()` at each scrape, so nothing in the server's hot path touches a metric object:
 * counters follow the snapshot's totals, gauges take its values.
 */
export function createStreamMetrics(snapshot: () => MetricsSnapshot): StreamMetrics {
  const registry = new Registry()
  const registers = [registry]
  const info = new Gauge({
    name: 'bernoulli_stream_info',
    help: 'The running stream: its id, seed and source (value always 1).',
    labelNames: ['stream_id', 'seed', 'source'],
    registers
  })
  const clients = new Gauge({
    name: 'bernoulli_clients',
    help: 'Clients connected, by the path they connected to.',
    labelNames: ['path'],
    registers
  })
  const samples = new Counter({
    name: 'bernoulli_samples_drawn_total',
    help: 'Samples drawn (or read from the source file).',
    registers
  })
  const frames = new Counter({
    name: 'bernoulli_frames_sent_total',
    help: 'WebSocket frames or SSE events written to clients, by dialect.',
    labelNames: ['dialect'],
    registers
  })
  const bytes = new Counter({
    name: 'bernoulli_sent_bytes_total',
    help: 'Bytes written to clients, by dialect.',
    labelNames: ['dialect'],
    registers
  })
  const slow = new Counter({
    name: 'bernoulli_slow_consumers_dropped_total',
    help: 'Clients dropped (close code 4008) for not reading fast enough.',
    registers
  })
  const faults = new Counter({
    name: 'bernoulli_faults_applied_total',
    help: 'Faults applied to connections that asked for them: samples dropped or duplicated, writes delayed, bursts released, connections cut or stalled.',
    labelNames: ['kind'],
    registers
  })
  const replayHeld = new Gauge({
    name: 'bernoulli_replay_buffer_samples',
    help: 'Samples held for resuming clients.',
    registers
  })
  const replayFill = new Gauge({
    name: 'bernoulli_replay_buffer_fill_ratio',
    help: 'Fraction of the replay buffer in use (0 to 1).',
    registers
  })
  const control = new Counter({
    name: 'bernoulli_control_messages_total',
    help: 'Control messages answered, by result (ack, or the error code).',
    labelNames: ['result'],
    registers
  })
  const running = new Gauge({
    name: 'bernoulli_running',
    help: '1 while samples are being drawn, else 0.',
    registers
  })
  const p = new Gauge({
    name: 'bernoulli_p',
    help: 'Probability of a 1 in force (NaN when the source does not say).',
    registers
  })
  const interval = new Gauge({
    name: 'bernoulli_interval_seconds',
    help: 'Time between samples.',
    registers
  })

  const totals = new Map<string, number>()
  /** Moves a counter to the snapshot's total (totals only grow; a smaller one restarts it). */
  const follow = (
    counter: Counter<string>,
    key: string,
    total: number,
    labels?: Record<string, string>
  ): void => {
    const id = `${key}\u0000${labels ? Object.values(labels).join('\u0000') : ''}`
    const last = totals.get(id) ?? 0
    const delta = total >= last ? total - last : total
    if (total < last) {
      if (labels) counter.remove(labels)
      else counter.reset()
    }
    if (labels) counter.inc(labels, delta)
    else counter.inc(delta)
    totals.set(id, total)
  }

  return {
    contentType: registry.contentType,
    async render() {
      const s = snapshot()
      info.reset()
      info.set(
        { stream_id: s.streamId, seed: s.seed === null ? '' : String(s.seed), source: s.source },
        1
      )
      clients.reset()
      for (const [path, count] of Object.entries(s.clients)) clients.set({ path }, count)
      follow(samples, 'samples', s.samplesDrawn)
      for (const [dialect, total] of Object.entries(s.framesSent))
        follow(frames, 'frames', total, { dialect })
      for (const [dialect, total] of Object.entries(s.bytesSent))
        follow(bytes, 'bytes', total, { dialect })
      follow(slow, 'slow', s.slowConsumersDropped)
      for (const [kind, total] of Object.entries(s.faults))
        follow(faults, 'faults', total, { kind })
      for (const [result, total] of Object.entries(s.controlMessages))
        follow(control, 'control', total, { result })
      replayHeld.set(s.replayBuffer.held)
      replayFill.set(
        s.replayBuffer.capacity > 0 ? s.replayBuffer.held / s.replayBuffer.capacity : 0
      )
      running.set(s.running ? 1 : 0)
      p.set(s.p ?? Number.NaN)
      interval.set(s.intervalMs / 1000)
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()])
      return `${own}\n${process}`
    }
  }
}
