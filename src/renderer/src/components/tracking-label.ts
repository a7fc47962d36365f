/** The tracking model's short name for legends and headings. */
import type { TrackingSetting } from '../posterior/timeline'
import { formatCount } from './format'

/** E.g. "window (last 200)" or "forgetting (λ = 0.995)"; "" when tracking is off. */
export function trackingLabel(setting: TrackingSetting): string {
  switch (setting.memory) {
    case 'all':
      return ''
    case 'window':
      return `window (last ${formatCount(setting.windowSize)})`
    case 'forgetting':
      return `forgetting (λ = ${setting.forgetting})`
  }
}
