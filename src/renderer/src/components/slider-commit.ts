/**
 * When a slider's value is worth sending: once per drag (on release), and for keyboard steps
 * once the keys have been quiet for a moment, so holding an arrow key sends one value, not one
 * per step. Values in between are only shown, never sent.
 */
import type { Clock } from '../../../shared/clock'

/** Default quiet time after the last keyboard step, ms. */
export const KEYBOARD_COMMIT_DELAY_MS = 400

/** Decides when a slider commits. One per slider. */
export class SliderCommit<T> {
  #pending: { value: T } | null = null
  #timer: unknown = null
  #keyboard = false

  /**
   * @param commit sends a value; called once per drag or burst of keys.
   * @param clock for the keyboard delay.
   * @param keyboardDelayMs quiet time after the last key before committing.
   */
  constructor(
    private readonly commit: (value: T) => void,
    private readonly clock: Clock,
    private readonly keyboardDelayMs = KEYBOARD_COMMIT_DELAY_MS
  ) {}

  /** A key that moves the slider was pressed: the next change is a keyboard step. */
  keyPressed(): void {
    this.#keyboard = true
  }

  /** A pointer went down on the slider: the next change is the end of a drag. */
  pointerPressed(): void {
    this.#keyboard = false
  }

  /** The slider reported a committed change (the `change` event). */
  changed(value: T): void {
    if (!this.#keyboard) {
      this.#cancel()
      this.commit(value)
      return
    }
    this.#pending = { value }
    if (this.#timer !== null) this.clock.clearTimer(this.#timer)
    this.#timer = this.clock.setTimer(() => {
      this.#timer = null
      this.flush()
    }, this.keyboardDelayMs)
  }

  /** Commits a waiting keyboard value now (the slider lost focus). */
  flush(): void {
    const pending = this.#pending
    this.#cancel()
    if (pending) this.commit(pending.value)
  }

  /** True while a keyboard value waits. */
  get waiting(): boolean {
    return this.#pending !== null
  }

  #cancel(): void {
    if (this.#timer !== null) this.clock.clearTimer(this.#timer)
    this.#timer = null
    this.#pending = null
  }
}
