import { describe, expect, it } from 'vitest'
import { isOwnRendererUrl, resolveRendererLocation } from '../../../src/main/app/renderer-location'

describe('resolveRendererLocation', () => {
  it('loads the built file next to the main bundle', () => {
    const location = resolveRendererLocation({ mainDir: '/app/out/main', isPackaged: true })
    expect(location).toEqual({
      kind: 'file',
      filePath: '/app/out/renderer/index.html',
      url: 'file:///app/out/renderer/index.html'
    })
  })

  it('uses the dev server only when not packaged and on loopback http', () => {
    const dev = 'http://localhost:5173'
    expect(
      resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: false, devServerUrl: dev })
    ).toEqual({
      kind: 'dev-server',
      url: dev
    })
    expect(
      resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: true, devServerUrl: dev }).kind
    ).toBe('file')
    for (const url of [
      'https://evil.example',
      'http://192.168.1.5:5173',
      'file:///tmp/x.html',
      'junk'
    ]) {
      expect(
        resolveRendererLocation({ mainDir: '/a/out/main', isPackaged: false, devServerUrl: url })
          .kind
      ).toBe('file')
    }
  })
})

describe('isOwnRendererUrl', () => {
  const file = resolveRendererLocation({ mainDir: '/app/out/main', isPackaged: true })
  const dev = resolveRendererLocation({
    mainDir: '/app/out/main',
    isPackaged: false,
    devServerUrl: 'http://localhost:5173'
  })

  it('accepts our file, with or without hash and query', () => {
    expect(isOwnRendererUrl('file:///app/out/renderer/index.html', file)).toBe(true)
    expect(isOwnRendererUrl('file:///app/out/renderer/index.html#/settings?x=1', file)).toBe(true)
  })

  it('refuses other files and other schemes', () => {
    expect(isOwnRendererUrl('file:///tmp/index.html', file)).toBe(false)
    expect(isOwnRendererUrl('http://localhost:5173/', file)).toBe(false)
    expect(isOwnRendererUrl('about:blank', file)).toBe(false)
    expect(isOwnRendererUrl('', file)).toBe(false)
  })

  it('accepts the dev server origin only', () => {
    expect(isOwnRendererUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isOwnRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isOwnRendererUrl('https://localhost:5173/', dev)).toBe(false)
  })
})
