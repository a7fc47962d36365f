import { describe, expect, it, vi } from 'vitest'
import { takeTokenFromFragment } from '../../../src/renderer/src/stream/fragment-token'

describe('takeTokenFromFragment', () => {
  it('returns the token and removes it from the address bar', () => {
    const replaceState = vi.fn()
    const token = takeTokenFromFragment(
      { hash: '#token=abc123', pathname: '/', search: '' },
      { replaceState }
    )
    expect(token).toBe('abc123')
    expect(replaceState).toHaveBeenCalledWith(null, '', '/')
  })

  it('keeps other fragment parameters and the query', () => {
    const replaceState = vi.fn()
    takeTokenFromFragment(
      { hash: '#a=1&token=x&b=2', pathname: '/ui', search: '?q=1' },
      { replaceState }
    )
    expect(replaceState).toHaveBeenCalledWith(null, '', '/ui?q=1#a=1&b=2')
  })

  it('does nothing without a token', () => {
    const replaceState = vi.fn()
    expect(
      takeTokenFromFragment({ hash: '', pathname: '/', search: '' }, { replaceState })
    ).toBeNull()
    expect(
      takeTokenFromFragment({ hash: '#other=1', pathname: '/', search: '' }, { replaceState })
    ).toBeNull()
    expect(replaceState).not.toHaveBeenCalled()
  })

  it('treats an empty or oversized token as none but still removes it', () => {
    const replaceState = vi.fn()
    expect(
      takeTokenFromFragment({ hash: '#token=', pathname: '/', search: '' }, { replaceState })
    ).toBeNull()
    expect(
      takeTokenFromFragment(
        { hash: `#token=${'x'.repeat(300)}`, pathname: '/', search: '' },
        { replaceState }
      )
    ).toBeNull()
    expect(replaceState).toHaveBeenCalledTimes(2)
  })
})
