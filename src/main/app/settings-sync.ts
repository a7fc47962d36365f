import type { StreamState } from '../../shared/protocol/messages'
import type { AppSettings, SettingsStore } from './settings-store'

/** Options of {@link createSettingsSync}. */
export interface SettingsSyncOptions {
  /** Where to write; only `save` is used. */
  store: Pick<SettingsStore, 'save'>
  /** The settings as they are on disk now. */
  initial: AppSettings
  /** Called with a failed save's error; the next change tries again. Default: ignore. */
  onError?: (error: unknown) => void
}

/** Keeps the settings file in step with the stream. */
export interface SettingsSync {
  /** Records the stream's p and interval; writes them if they changed. */
  update(state: Pick<StreamState, 'p' | 'intervalMs'>): void
  /** The settings as last recorded (not necessarily written yet). */
  current(): AppSettings
  /** Resolves once everything recorded so far is written (or has failed). */
  flush(): Promise<void>
}

/**
 * Writes p and the interval whenever they change, at most one write at a time: changes that
 * arrive during a write (a slider being dragged sends dozens a second) collapse into one more
 * write of the latest values.
 */
export function createSettingsSync(options: SettingsSyncOptions): SettingsSync {
  let current: AppSettings = { ...options.initial }
  let writing: Promise<void> | null = null
  let dirty = false

  const write = (): void => {
    if (writing) {
      dirty = true
      return
    }
    writing = options.store
      .save(current)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        writing = null
        if (dirty) {
          dirty = false
          write()
        }
      })
  }

  return {
    update(state) {
      // A file source has no p of its own: the saved p stays what the user last chose.
      const p = state.p ?? current.p
      if (p === current.p && state.intervalMs === current.intervalMs) return
      current = { ...current, p, intervalMs: state.intervalMs }
      write()
    },
    current: () => ({ ...current }),
    async flush() {
      while (writing) await writing
    }
  }
}
