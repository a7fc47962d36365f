import { describe, expect, it } from 'vitest'
import {
  hostnameOf,
  isAllowedControlOrigin,
  isAllowedHost
} from '../../../src/main/server/request-guard'

describe('isAllowedHost', () => {
  it.each([
    'localhost',
    'localhost:8888',
    '127.0.0.1:8888',
    '[::1]:8888',
    '192.168.1.20:8888',
    'LOCALHOST:1'
  ])('accepts %s', (host) => {
    expect(isAllowedHost(host)).toBe(true)
  })
  it.each([
    undefined,
    '',
    'evil.example',
    'evil.example:8888',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    '[::1',
    'a b'
  ])('refuses %s', (host) => expect(isAllowedHost(host)).toBe(false))
  it('accepts names the operator allowed', () => {
    expect(isAllowedHost('stream.lan:8888', ['stream.lan'])).toBe(true)
  })
  it('extracts host names', () => {
    expect(hostnameOf('[::1]:80')).toBe('::1')
    expect(hostnameOf('Example.COM:443')).toBe('example.com')
    expect(hostnameOf('[::1]x')).toBeNull()
  })
})

describe('isAllowedControlOrigin', () => {
  it('trusts clients without Origin (scripts), our own origin and the allow-list only', () => {
    expect(isAllowedControlOrigin(undefined, '127.0.0.1:8888', [])).toBe(true)
    expect(isAllowedControlOrigin('http://127.0.0.1:8888', '127.0.0.1:8888', [])).toBe(true)
    expect(isAllowedControlOrigin('file://', '127.0.0.1:8888', ['file://'])).toBe(true)
    expect(isAllowedControlOrigin('http://127.0.0.1:9999', '127.0.0.1:8888', [])).toBe(false)
    expect(isAllowedControlOrigin('https://evil.example', '127.0.0.1:8888', [])).toBe(false)
    expect(isAllowedControlOrigin('null', '127.0.0.1:8888', [])).toBe(false)
  })
})
