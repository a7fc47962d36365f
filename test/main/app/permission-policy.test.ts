import { describe, expect, it } from 'vitest'
import { isPermissionGranted } from '../../../src/main/app/permission-policy'

describe('isPermissionGranted', () => {
  it('grants our page local-network access and clipboard writes, nothing else', () => {
    for (const permission of ['loopback-network', 'local-network-access', 'local-network']) {
      expect(isPermissionGranted(permission, true), permission).toBe(true)
    }
    expect(isPermissionGranted('clipboard-sanitized-write', true)).toBe(true)
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'unknown'
    ]) {
      expect(isPermissionGranted(permission, true), permission).toBe(false)
    }
  })

  it('grants nothing to any other page', () => {
    for (const permission of ['clipboard-sanitized-write', 'loopback-network', 'media']) {
      expect(isPermissionGranted(permission, false), permission).toBe(false)
    }
  })
})
