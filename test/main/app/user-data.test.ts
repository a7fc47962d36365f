import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { USER_DATA_ENV, userDataOverride } from '../../../src/main/app/user-data'

const base = { appData: join('/home', 'u', '.config'), appName: 'Bernoulli Stream', env: {} }

describe('userDataOverride', () => {
  it('keeps Electron’s default for the installed app', () => {
    expect(userDataOverride({ ...base, isPackaged: true })).toBeNull()
  })

  it('gives development runs their own folder, and so their own single-instance lock', () => {
    expect(userDataOverride({ ...base, isPackaged: false })).toBe(
      join('/home', 'u', '.config', 'Bernoulli Stream (dev)')
    )
  })

  it('honours an explicit folder from the environment in both', () => {
    const env = { [USER_DATA_ENV]: '/tmp/profile' }
    expect(userDataOverride({ ...base, env, isPackaged: true })).toBe('/tmp/profile')
    expect(userDataOverride({ ...base, env, isPackaged: false })).toBe('/tmp/profile')
    expect(userDataOverride({ ...base, env: { [USER_DATA_ENV]: '' }, isPackaged: true })).toBeNull()
  })
})
