/**
 * Steering through the desktop window's preload bridge: main applies the change directly, so
 * it works even while the socket reconnects. Failures come back as `{ code, message }`.
 */
import type { BernoulliBridge } from '../../../shared/ipc-contract'
import { isIpcError } from '../../../shared/ipc-reply'
import type { StreamState } from '../../../shared/protocol/messages'
import { ControlError, LocalErrorCode, type StreamControl } from './control'

/** {@link StreamControl} over `window.bernoulli`. */
export class BridgeControl implements StreamControl {
  constructor(private readonly bridge: BernoulliBridge) {}

  readonly canDraw = true

  start(): Promise<StreamState> {
    return this.#call(() => this.bridge.start())
  }

  stop(): Promise<StreamState> {
    return this.#call(() => this.bridge.stop())
  }

  setP(p: number): Promise<StreamState> {
    return this.#call(() => this.bridge.setP(p))
  }

  setIntervalMs(intervalMs: number): Promise<StreamState> {
    return this.#call(() => this.bridge.setIntervalMs(intervalMs))
  }

  draw(count: number): Promise<StreamState> {
    return this.#call(() => this.bridge.draw(count))
  }

  /** Draws from `seed` from the next sample on; a random seed when omitted. */
  reseed(seed?: number): Promise<StreamState> {
    return this.#call(() => (seed === undefined ? this.bridge.reseed() : this.bridge.reseed(seed)))
  }

  async #call(invoke: () => Promise<StreamState>): Promise<StreamState> {
    try {
      return await invoke()
    } catch (error) {
      throw new ControlError(readCode(error), readDetail(error))
    }
  }
}

// A bridge call rejects with an IpcError, `{ code, message }` as plain data; anything else
// (a preload from another build) still yields a code where its text names one.
function readCode(error: unknown): string {
  if (isIpcError(error)) return error.code
  const match = error instanceof Error ? /\bE_[A-Z_]+\b/.exec(error.message) : null
  return match ? match[0] : LocalErrorCode.Bridge
}

function readDetail(error: unknown): string {
  return isIpcError(error) ? error.message : ''
}
