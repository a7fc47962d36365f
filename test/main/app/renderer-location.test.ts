import { describe, expect, it } from 'vitest'
import { isOwnRendererUrl, resolveRendererLocation } from '../../../src/main/app/renderer-location'

describe('resolveRendererLocation', () => {
  it('serves the built renderer next to the main bundle from our scheme', () => {
    const location = resolveRendererLocation({ mainDir: '/app/out/main', isPackaged: true })
    expect(location).toEqual({
      kind: 'app-scheme',
      rendererDir: '/app/out/renderer',
      url: 'app://bernoulli/index.html',
      origin: 'app://bernoulli'
    })
  })

  it('uses the dev server only when not packaged and on loopback http', () => {
    const dev = 'http://localhost:5173'
    expect(
      resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: false, devServerUrl: dev })
    ).toEqual({ kind: 'dev-server', url: 'http://localhost:5173/', origin: dev })
    expect(
      resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: true, devServerUrl: dev }).kind
    ).toBe('app-scheme')
    for (const url of ['http://127.0.0.1:5173', 'http://[::1]:5173']) {
      expect(
        resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: false, devServerUrl: url })
          .kind,
        url
      ).toBe('dev-server')
    }
    for (const url of [
      'https://evil.example',
      'http://localhost.evil.example:5173',
      'http://[::2]:5173',
      'http://192.168.1.5:5173',
      'file:///tmp/x.html',
      'junk'
    ]) {
      expect(
        resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: false, devServerUrl: url })
          .kind
      ).toBe('app-scheme')
    }
  })
})

describe('isOwnRendererUrl', () => {
  const built = resolveRendererLocation({ mainDir: 'C:\\app\\out\\main', isPackaged: true })
  const dev = resolveRendererLocation({
    mainDir: '/app/out/main',
    isPackaged: false,
    devServerUrl: 'http://localhost:5173'
  })

  it('accepts any page of our scheme and the bare origin, whatever the disk path', () => {
    expect(isOwnRendererUrl('app://bernoulli/index.html', built)).toBe(true)
    expect(isOwnRendererUrl('app://bernoulli/index.html#token=x?y=1', built)).toBe(true)
    expect(isOwnRendererUrl('app://bernoulli', built)).toBe(true)
  })

  it('refuses other hosts, other schemes and file:// pages', () => {
    for (const url of [
      'app://evil/index.html',
      'app://user@bernoulli/index.html',
      'file:///app/out/renderer/index.html',
      'http://localhost:5173/',
      'https://bernoulli/',
      'about:blank',
      ''
    ]) {
      expect(isOwnRendererUrl(url, built), url).toBe(false)
    }
  })

  it('accepts the dev server origin only', () => {
    expect(isOwnRendererUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isOwnRendererUrl('http://localhost:5173', dev)).toBe(true)
    expect(isOwnRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isOwnRendererUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isOwnRendererUrl('app://bernoulli/index.html', dev)).toBe(false)
  })
})
