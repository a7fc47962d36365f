/** What the two charts' legends list, in the charts' own colours and symbols. */
import type { DensityFrame } from '../charts/density-frame'
import type { EstimateFrame } from '../charts/estimate-frame'
import type { MarkKind } from '../posterior/timeline'

/** One legend entry. */
export interface LegendItem {
  label: string
  /** Which chart colour (the `--chart-…` variable of the same name). */
  tone:
    | 'full'
    | 'full-band'
    | 'tracking'
    | 'tracking-band'
    | 'prior-curve'
    | 'truth'
    | 'interval'
    | 'gap'
    | 'prior'
    | 'neutral'
    | 'scenario'
  /** A line, dashed or dotted line, a shaded band, or a mark symbol. */
  swatch:
    | 'line'
    | 'dashed'
    | 'dotted'
    | 'band'
    | 'triangle'
    | 'triangle-down'
    | 'diamond'
    | 'square'
    | 'cross'
    | 'circle'
    | 'star'
}

/** Legend of the density chart. */
export function densityLegend(frame: DensityFrame, tracking: string): LegendItem[] {
  const items: LegendItem[] = [
    { label: 'full memory', tone: 'full', swatch: 'line' },
    { label: 'its 95 % interval', tone: 'full-band', swatch: 'band' }
  ]
  if (frame.tracking) {
    items.push(
      { label: tracking, tone: 'tracking', swatch: 'line' },
      { label: 'its 95 % interval', tone: 'tracking-band', swatch: 'band' }
    )
  }
  items.push({ label: 'prior', tone: 'prior-curve', swatch: 'dotted' })
  if (frame.trueP !== null) items.push({ label: 'true p', tone: 'truth', swatch: 'dashed' })
  return items
}

const MARK_LEGEND: Record<MarkKind, LegendItem> = {
  p: { label: 'p changed', tone: 'truth', swatch: 'triangle' },
  interval: { label: 'interval changed', tone: 'interval', swatch: 'triangle-down' },
  prior: { label: 'prior changed', tone: 'prior', swatch: 'diamond' },
  memory: { label: 'tracking changed', tone: 'tracking', swatch: 'square' },
  gap: { label: 'samples lost', tone: 'gap', swatch: 'cross' },
  restart: { label: 'server restarted', tone: 'neutral', swatch: 'square' },
  joined: { label: 'page joined (p unknown before)', tone: 'neutral', swatch: 'circle' },
  scenario: { label: 'scenario loaded or ended', tone: 'scenario', swatch: 'star' }
}

/** Legend of the estimate chart: its lines, and each kind of mark once it appears. */
export function estimateLegend(frame: EstimateFrame, tracking: string): LegendItem[] {
  const items: LegendItem[] = [
    { label: 'full memory: mean', tone: 'full', swatch: 'line' },
    { label: '95 % band', tone: 'full-band', swatch: 'band' }
  ]
  if (frame.tracking) {
    items.push(
      { label: `${tracking}: mean`, tone: 'tracking', swatch: 'line' },
      { label: '95 % band', tone: 'tracking-band', swatch: 'band' }
    )
  }
  if (frame.truth.length > 0) items.push({ label: 'true p', tone: 'truth', swatch: 'dashed' })
  const seen = new Set<MarkKind>()
  for (const { mark } of frame.marks) seen.add(mark.kind)
  for (const kind of Object.keys(MARK_LEGEND) as MarkKind[])
    if (seen.has(kind)) items.push(MARK_LEGEND[kind])
  return items
}
