import { describe, expect, it } from 'vitest'
import {
  buildContentSecurityPolicy,
  buildWebPreferences,
  isAllowedExternalUrl,
  serverConnectSources,
  withContentSecurityPolicy
} from '../../../src/main/app/window-options'

/** Parses a policy into directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/)
      return [name, sources]
    })
  )
}

describe('buildWebPreferences', () => {
  it('isolates, sandboxes and denies Node to the page', () => {
    const prefs = buildWebPreferences('/app/out/preload/index.cjs')
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })

  it('accepts Windows paths', () => {
    expect(buildWebPreferences('C:\\app\\out\\preload\\index.cjs').preload).toMatch(/index\.cjs$/)
  })

  it.each(['out/preload/index.cjs', '/app/out/preload/index.mjs', '/app/out/preload/index.js'])(
    'refuses a preload that is relative or not CommonJS: %s',
    (path) => {
      expect(() => buildWebPreferences(path)).toThrow(TypeError)
    }
  )
})

describe('buildContentSecurityPolicy', () => {
  const server = ['ws://127.0.0.1:8888', 'http://127.0.0.1:8888']

  it('starts from nothing and allows scripts only from the app', () => {
    const policy = directives(buildContentSecurityPolicy({ connectSources: server }))
    expect(policy.get('default-src')).toEqual(["'none'"])
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('frame-src')).toEqual(["'none'"])
    expect(policy.get('base-uri')).toEqual(["'none'"])
    expect(policy.get('form-action')).toEqual(["'none'"])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
  })

  it('connects only to our own server, and allows no inline style, in production', () => {
    const policy = directives(buildContentSecurityPolicy({ connectSources: server }))
    expect(policy.get('connect-src')).toEqual(server)
    expect(policy.get('style-src')).toEqual(["'self'"])
  })

  it('never allows inline or evaluated scripts, or wildcards', () => {
    const text = buildContentSecurityPolicy({
      connectSources: server,
      devServerUrl: 'http://localhost:5173'
    })
    const scripts = directives(text).get('script-src') ?? []
    expect(scripts).not.toContain("'unsafe-inline'")
    expect(scripts).not.toContain("'unsafe-eval'")
    expect(text).not.toMatch(/(^|\s)\*(\s|;|$)/)
    expect(text).not.toMatch(/\bhttps?:(\s|;|$)/)
  })

  it('adds the dev server and its HMR socket in development', () => {
    const policy = directives(
      buildContentSecurityPolicy({ connectSources: server, devServerUrl: 'http://localhost:5173/' })
    )
    expect(policy.get('connect-src')).toEqual([
      ...server,
      'http://localhost:5173',
      'ws://localhost:5173'
    ])
    // Vite injects CSS as <style> elements while developing.
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
  })

  it.each(['*', 'ws://127.0.0.1:8888/path', "ws://x; script-src 'unsafe-eval'", 'file:', ''])(
    'refuses a connect source that could widen the policy: %j',
    (source) => {
      expect(() => buildContentSecurityPolicy({ connectSources: [source] })).toThrow(TypeError)
    }
  )

  it('refuses an empty list of connect sources', () => {
    expect(() => buildContentSecurityPolicy({ connectSources: [] })).toThrow(TypeError)
  })
})

describe('serverConnectSources', () => {
  it('derives the origins from the connection info, port included', () => {
    expect(
      serverConnectSources({
        jsonStreamUrl: 'ws://127.0.0.1:41234/v1/stream',
        httpUrl: 'http://127.0.0.1:41234/'
      })
    ).toEqual(['ws://127.0.0.1:41234', 'http://127.0.0.1:41234'])
  })
})

describe('withContentSecurityPolicy', () => {
  it('adds the header and keeps the others', () => {
    const headers = withContentSecurityPolicy(
      { 'content-type': ['text/html'] },
      "default-src 'none'"
    )
    expect(headers).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': ["default-src 'none'"]
    })
  })

  it('keeps an existing policy next to ours, whatever its case, so both apply', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': "img-src 'self'" },
      'ours'
    )
    expect(headers).toEqual({ 'content-security-policy': ["img-src 'self'", 'ours'] })
  })

  it('works without response headers', () => {
    expect(withContentSecurityPolicy(undefined, 'ours')).toEqual({
      'Content-Security-Policy': ['ours']
    })
  })
})

describe('isAllowedExternalUrl', () => {
  it('allows only https links to allow-listed origins', () => {
    const list = ['https://example.org']
    expect(isAllowedExternalUrl('https://example.org/docs', list)).toBe(true)
    expect(isAllowedExternalUrl('http://example.org/docs', list)).toBe(false)
    expect(isAllowedExternalUrl('https://evil.example/docs', list)).toBe(false)
    expect(isAllowedExternalUrl('https://user@example.org/', list)).toBe(false)
    expect(isAllowedExternalUrl('file:///etc/passwd', list)).toBe(false)
    expect(isAllowedExternalUrl('not a url', list)).toBe(false)
  })

  it('allows nothing with the default, empty list', () => {
    expect(isAllowedExternalUrl('https://example.org/')).toBe(false)
  })
})
