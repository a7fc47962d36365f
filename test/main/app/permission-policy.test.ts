import { describe, expect, it } from 'vitest'
import { isPermissionGranted } from '../../../src/main/app/permission-policy'

describe('isPermissionGranted', () => {
  it('grants local-network access only', () => {
    expect(isPermissionGranted('loopback-network')).toBe(true)
    expect(isPermissionGranted('local-network-access')).toBe(true)
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'unknown'
    ]) {
      expect(isPermissionGranted(permission)).toBe(false)
    }
  })
})
