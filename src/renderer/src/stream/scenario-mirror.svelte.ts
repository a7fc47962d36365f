/**
 * The page's copy of the running scenario's plan (its steps), read from `GET /v1/scenario`
 * whenever the server says its scenario changed: on every hello, on every `scenario` state event,
 * and when the progress in a state event names another scenario than the plan held. Where the
 * stream is in the plan is the server's state (`state.scenario` in the mirror); this holds only
 * what the state events do not carry.
 */
import type { ScenarioProgress } from '../../../shared/protocol/messages'
import type { ScenarioClient } from './scenario-client'
import type { ScenarioPlan } from './scenario-plan'
import type { StreamSession } from './stream-session.svelte'

/** The plan of the running scenario, kept current. */
export class ScenarioMirror {
  #plan = $state.raw<ScenarioPlan | null>(null)
  #unreadable = $state(false)

  readonly #session: StreamSession
  readonly #client: ScenarioClient
  #inFlight = false
  #again = false

  constructor(session: StreamSession, client: ScenarioClient) {
    this.#session = session
    this.#client = client
    session.onServerState((change) => {
      const stale = !this.#unreadable && !this.#matches(session.mirror.state?.scenario)
      if (change === 'hello' || change === 'scenario' || stale) this.refresh()
    })
  }

  /** The running scenario's plan; null when none runs (or it is not known yet). */
  get plan(): ScenarioPlan | null {
    return this.#plan
  }

  /** True when the server said a scenario runs but its plan could not be read. */
  get unreadable(): boolean {
    return this.#unreadable
  }

  /** Reads the plan again (coalesced: one request at a time, one more if asked meanwhile). */
  refresh(): void {
    if (this.#inFlight) {
      this.#again = true
      return
    }
    this.#inFlight = true
    this.#client
      .plan()
      .then(
        (plan) => {
          this.#plan = plan
          this.#unreadable =
            plan === null && (this.#session.mirror.state?.scenario ?? null) !== null
        },
        () => {
          // Not reachable now (a reconnection is under way); the next hello asks again.
        }
      )
      .finally(() => {
        this.#inFlight = false
        if (this.#again) {
          this.#again = false
          this.refresh()
        }
      })
  }

  // Whether the plan held is the one `progress` reports on (or both say none).
  #matches(progress: ScenarioProgress | null | undefined): boolean {
    const plan = this.#plan
    if (!progress) return plan === null
    return plan !== null && plan.name === progress.name && plan.steps.length === progress.steps
  }
}
