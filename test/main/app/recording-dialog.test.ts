import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatOfName } from '../../../src/shared/recording/recording-format'
import { recordingDialogOptions, recordingFileName } from '../../../src/main/app/recording-dialog'

describe('recordingDialogOptions', () => {
  const now = new Date(2026, 11, 2, 0, 15, 30)

  it('offers a fresh, sortable NDJSON name in the folder, naming the seed', () => {
    const options = recordingDialogOptions('/home/me/Documents', now, 42)
    expect(options.defaultPath).toBe(
      join('/home/me/Documents', 'bernoulli-2026-12-02-001530-seed-42.ndjson')
    )
    expect(recordingFileName(now, null)).toBe('bernoulli-2026-12-02-001530.ndjson')
    // Linux asks before replacing only when told: the handler then replaces what was confirmed.
    expect(options.properties).toContain('showOverwriteConfirmation')
  })

  it('offers exactly the extensions the recorder reads a format from', () => {
    const { filters } = recordingDialogOptions('/tmp', now, null)
    expect(filters.flatMap((filter) => filter.extensions)).toEqual(['ndjson', 'csv'])
    expect(formatOfName('run.ndjson')).toBe('ndjson')
    expect(formatOfName('run.csv')).toBe('csv')
  })
})
