/**
 * The page's one control interface: picks the bridge (desktop) or the socket (browser), knows
 * which token it steers with and whether the server accepts it (checked with `auth` after every
 * hello, so a restarted server with a new token disables the controls before the first change
 * fails), and keeps the last failure for the controls to show.
 */
import { ErrorCode } from '../../../shared/error-codes'
import type { StreamState } from '../../../shared/protocol/messages'
import { checkIntervalMs, checkP, checkSeed } from '../../../shared/sampler-settings'
import { BridgeControl } from './bridge-control'
import {
  ControlError,
  LocalErrorCode,
  MAX_DRAW_COUNT,
  toControlError,
  type StreamControl
} from './control'
import type { ScenarioClient } from './scenario-client'
import { SocketControl } from './socket-control'
import type { HelloEvent, StreamSession } from './stream-session.svelte'
import { isPlausibleToken, type TabStorage } from './tab-storage'

/** Why the page can watch but not steer. */
export type ReadOnlyReason =
  /** The server needs a token and the page has none. */
  | { kind: 'no-token' }
  /**
   * The server refused the page's token (`code`: E_UNAUTHORIZED, E_FORBIDDEN_ORIGIN…);
   * `newRun` when that was noticed right after the server restarted.
   */
  | { kind: 'token-rejected'; code: string; newRun: boolean }

/** Where the token check stands. */
export type TokenCheck = 'pending' | 'checking' | 'accepted' | 'rejected'

/** The outcome of {@link Controller.useToken}. */
export type TokenOffer = 'accepted' | 'rejected' | 'malformed' | 'not-connected'

// Replies meaning "this server predates `auth`": steering may well work, so do not lock up.
const AUTH_UNSUPPORTED: readonly string[] = [ErrorCode.UnknownType, ErrorCode.BadMessage]
const TOKEN_REFUSALS: readonly string[] = [ErrorCode.Unauthorized, ErrorCode.ForbiddenOrigin]

/** The page's control interface. */
export class Controller {
  #pastedToken = $state<string | null>(null)
  #check = $state<TokenCheck>('pending')
  #refusal = $state.raw<{ code: string; newRun: boolean } | null>(null)
  #lastError = $state.raw<ControlError | null>(null)

  readonly #session: StreamSession
  readonly #tab: TabStorage
  readonly #socketControl: SocketControl
  readonly #scenarios: ScenarioClient
  #bridgeControl: BridgeControl | null = null
  #checkGeneration = 0

  /**
   * @param session the stream session (socket requests, the mirror, hellos).
   * @param tab where a pasted token survives a reload of the tab.
   * @param scenarios `/v1/scenario` of the same server, with this page's token.
   */
  constructor(session: StreamSession, tab: TabStorage, scenarios: ScenarioClient) {
    this.#session = session
    this.#tab = tab
    this.#scenarios = scenarios
    this.#socketControl = new SocketControl(session, () => this.token)
    session.onHello((event) => this.#onHello(event))
  }

  /** The token this page steers with (shown to the user for their own scripts); null if none. */
  get token(): string | null {
    return this.#pastedToken ?? this.#session.target?.token ?? null
  }

  /** True in the desktop window, where the bridge steers and no token check is needed. */
  get viaBridge(): boolean {
    return this.#session.target?.bridge != null
  }

  /** Where the token check stands (always `accepted` when no token is needed). */
  get tokenCheck(): TokenCheck {
    return this.#check
  }

  /** Why the page is read-only; null when it can steer or is merely waiting for the connection. */
  get readOnlyReason(): ReadOnlyReason | null {
    if (this.viaBridge || !this.#session.target) return null
    if (this.#refusal) return { kind: 'token-rejected', ...this.#refusal }
    const identity = this.#session.mirror.identity
    if (identity?.controlRequiresToken && this.token === null) return { kind: 'no-token' }
    return null
  }

  /** True when start/stop/set/draw requests can be made now. */
  get canControl(): boolean {
    if (!this.#session.target) return false
    if (this.viaBridge) return true
    return this.#session.connected && this.#check === 'accepted' && this.readOnlyReason === null
  }

  /** True when step mode is available (it always is over the socket). */
  get canDraw(): boolean {
    return this.#implementation().canDraw
  }

  /** The last failed request; null after a success. */
  get lastError(): ControlError | null {
    return this.#lastError
  }

  start(): Promise<StreamState> {
    return this.#run((c) => c.start())
  }

  stop(): Promise<StreamState> {
    return this.#run((c) => c.stop())
  }

  /**
   * Sets the probability of a 1.
   * @param p in [0, 1].
   * @throws RangeError synchronously for an invalid p (the controls validate first).
   */
  setP(p: number): Promise<StreamState> {
    if (!checkP(p).ok) throw new RangeError(`p must be in [0, 1], got ${p}`)
    return this.#run((c) => c.setP(p))
  }

  /**
   * Sets the interval between samples.
   * @param intervalMs milliseconds in [1, 60000].
   * @throws RangeError synchronously for an invalid interval (the controls validate first).
   */
  setIntervalMs(intervalMs: number): Promise<StreamState> {
    if (!checkIntervalMs(intervalMs).ok)
      throw new RangeError(`intervalMs must be in [1, 60000], got ${intervalMs}`)
    return this.#run((c) => c.setIntervalMs(intervalMs))
  }

  /**
   * Draws exactly `count` samples now (step mode; only while stopped).
   * @param count an integer in [1, 1000].
   * @throws RangeError synchronously for another count.
   */
  draw(count: number): Promise<StreamState> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_DRAW_COUNT)
      throw new RangeError(`count must be an integer in [1, ${MAX_DRAW_COUNT}], got ${count}`)
    return this.#run((c) => c.draw(count))
  }

  /**
   * Draws from `seed` from the next sample on; the server picks one when it is omitted.
   * @param seed a whole number in [1, 4294967295].
   * @throws RangeError synchronously for another seed.
   */
  reseed(seed?: number): Promise<StreamState> {
    if (seed !== undefined) {
      const checked = checkSeed(seed)
      if (!checked.ok) throw new RangeError(checked.message)
    }
    return this.#run((c) => c.reseed(seed))
  }

  /**
   * Runs a scenario file (JSON or YAML) on the server, replacing any running one. Its failure
   * (the server's `E_BAD_SCENARIO` names the file, the step and the reason) is the caller's to
   * show; it is not kept in {@link lastError}.
   * @param name the file's name; its extension tells the server the syntax.
   */
  loadScenario(body: Blob | string, name: string): Promise<StreamState> {
    return this.#run(() => this.#scenarios.load(body, name, this.token), false)
  }

  /** Ends the running scenario; p and the interval stay as it left them. */
  clearScenario(): Promise<StreamState> {
    return this.#run(() => this.#scenarios.clear(this.token), false)
  }

  /**
   * Offers a token the user pasted: checked with the server and, when it steers, used from now
   * on and kept for reloads of this tab.
   */
  async useToken(text: string): Promise<TokenOffer> {
    const token = text.trim()
    if (!isPlausibleToken(token)) return 'malformed'
    if (!this.#session.connected) return 'not-connected'
    try {
      await this.#socketControl.auth(token)
    } catch (error) {
      const { code } = toControlError(error)
      if (code === LocalErrorCode.NotConnected || code === LocalErrorCode.Timeout)
        return 'not-connected'
      if (!AUTH_UNSUPPORTED.includes(code)) return 'rejected'
    }
    this.#checkGeneration++ // supersedes a check still running for the old token
    this.#pastedToken = token
    this.#tab.saveToken(token)
    this.#refusal = null
    this.#check = 'accepted'
    return 'accepted'
  }

  #onHello(event: HelloEvent): void {
    const identity = this.#session.mirror.identity
    const token = this.token
    if (this.viaBridge || !identity?.controlRequiresToken || token === null) {
      this.#refusal = null
      this.#check = 'accepted'
      return
    }
    const generation = ++this.#checkGeneration
    this.#check = 'checking'
    this.#socketControl.auth(token).then(
      () => {
        if (generation !== this.#checkGeneration) return
        this.#refusal = null
        this.#check = 'accepted'
      },
      (error: unknown) => {
        if (generation !== this.#checkGeneration) return
        const failure = toControlError(error)
        if (TOKEN_REFUSALS.includes(failure.code)) {
          this.#refusal = { code: failure.code, newRun: event.newRun }
          this.#check = 'rejected'
        } else {
          // An older server without `auth`, or no answer: let the first request tell.
          this.#check = 'accepted'
        }
      }
    )
  }

  #implementation(): StreamControl {
    const bridge = this.#session.target?.bridge
    if (!bridge) return this.#socketControl
    if (this.#bridgeControl === null) this.#bridgeControl = new BridgeControl(bridge)
    return this.#bridgeControl
  }

  // `report`: keep the failure for the stream controls to show (scenario uploads show their own).
  async #run(
    request: (control: StreamControl) => Promise<StreamState>,
    report = true
  ): Promise<StreamState> {
    try {
      if (!this.viaBridge && this.readOnlyReason !== null)
        throw new ControlError(LocalErrorCode.ReadOnly)
      const state = await request(this.#implementation())
      if (report) this.#lastError = null
      return state
    } catch (error) {
      const failure = toControlError(error)
      if (failure.code === ErrorCode.Unauthorized && !this.viaBridge) {
        this.#refusal = { code: failure.code, newRun: false }
        this.#check = 'rejected'
      }
      if (report) this.#lastError = failure
      throw failure
    }
  }
}
