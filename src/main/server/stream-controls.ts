import type { StreamState } from '../../shared/protocol/messages'
import type { Scenario } from '../scenario/scenario'

/** A scenario as loaded: what it says, and the name it goes by (its own, or its file's). */
export interface LoadedScenario {
  name: string
  scenario: Scenario
}

/** What the server may ask of the stream behind it. Setters throw a `CodedError` on bad values. */
export interface StreamControls {
  /** The stream's state; `nextSeq` is the sequence number of the next sample it will draw. */
  state(): StreamState
  samplesDrawn(): number
  start(): void
  stop(): void
  set(change: { p?: number; intervalMs?: number }): void
  /** Step mode: draws `count` samples now, only while stopped (`E_RUNNING` otherwise). */
  draw(count: number): void
  /** Draws from `seed` (a random one when omitted) from the next sample on. */
  reseed(seed?: number): void
  /** The scenario running, if any. */
  scenario(): LoadedScenario | null
  /**
   * Parses, validates and runs a scenario from its text (JSON or YAML), replacing any running.
   * Throws a CodedError `E_BAD_SCENARIO` naming the step and the reason; nothing changes then.
   */
  loadScenario(text: string, name: string): void
  /** Ends the running scenario; p and the interval stay as it left them. */
  clearScenario(): void
}
