import { describe, expect, it } from 'vitest'
import { isOwnDownloadUrl } from '../../../src/main/app/download-policy'
import { resolveRendererLocation } from '../../../src/main/app/renderer-location'

const built = resolveRendererLocation({ mainDir: '/app/out/main', isPackaged: true })
const dev = resolveRendererLocation({
  mainDir: '/app/out/main',
  isPackaged: false,
  devServerUrl: 'http://localhost:5173'
})

describe('isOwnDownloadUrl', () => {
  it('takes a blob: URL our page made, on our scheme or the dev server', () => {
    expect(
      isOwnDownloadUrl('blob:app://bernoulli/6f1c3a2e-1b2c-4d5e-8f90-123456789abc', built)
    ).toBe(true)
    expect(isOwnDownloadUrl('blob:http://localhost:5173/6f1c', dev)).toBe(true)
  })

  it('refuses every other download', () => {
    for (const url of [
      'app://bernoulli/index.html',
      'https://evil.example/x.csv',
      'blob:https://evil.example/6f1c',
      'blob:app://other/6f1c',
      'blob:app://user:pw@bernoulli/6f1c',
      'data:text/csv,1,0',
      'blob:',
      'blob:null/6f1c',
      'file:///etc/passwd'
    ]) {
      expect(isOwnDownloadUrl(url, built), url).toBe(false)
    }
    expect(isOwnDownloadUrl('blob:app://bernoulli/6f1c', dev)).toBe(false)
    expect(isOwnDownloadUrl('blob:http://localhost:5174/6f1c', dev)).toBe(false)
  })
})
