/** Runs work at most once per animation frame, however often it is asked for. */

/** Schedules a callback before the next repaint; `requestAnimationFrame` in the page. */
export type RequestFrame = (callback: () => void) => void

/** Coalesces many `schedule()` calls between two frames into one run of `work`. */
export class FrameCoalescer {
  #pending = false

  /**
   * @param requestFrame injected so tests can step frames by hand.
   * @param work what to run once per frame in which something was scheduled.
   */
  constructor(
    private readonly requestFrame: RequestFrame,
    private readonly work: () => void
  ) {}

  /** True while a run is scheduled and has not happened yet. */
  get pending(): boolean {
    return this.#pending
  }

  /** Asks for one run of `work` at the next frame; repeated calls before it are free. */
  schedule(): void {
    if (this.#pending) return
    this.#pending = true
    this.requestFrame(() => {
      this.#pending = false
      this.work()
    })
  }
}

/**
 * The page's frame clock. Falls back to a 16 ms timer where there is no requestAnimationFrame.
 * Browsers pause rAF in hidden tabs: counts keep accumulating and the first frame after the page
 * shows again catches up in one go (the estimate chart then has one longer straight segment).
 */
export const browserRequestFrame: RequestFrame = (callback) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback())
  else setTimeout(callback, 16)
}
