import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { appResponseHeaders, resolveAppAsset } from '../../../src/main/app/app-scheme'

const DIR = join('/app', 'out', 'renderer')

describe('resolveAppAsset', () => {
  it('serves index.html for / and files below the renderer directory with their type', () => {
    expect(resolveAppAsset('app://bernoulli/', 'GET', DIR)).toEqual({
      kind: 'file',
      filePath: join(DIR, 'index.html'),
      contentType: 'text/html; charset=utf-8'
    })
    expect(resolveAppAsset('app://bernoulli/assets/index-1a.js?v=1#x', 'GET', DIR)).toEqual({
      kind: 'file',
      filePath: join(DIR, 'assets', 'index-1a.js'),
      contentType: 'text/javascript; charset=utf-8'
    })
    expect(resolveAppAsset('app://bernoulli/assets/a.css', 'HEAD', DIR)).toMatchObject({
      kind: 'file',
      contentType: 'text/css; charset=utf-8'
    })
    expect(resolveAppAsset('app://bernoulli/my%20icon.svg', 'GET', DIR)).toMatchObject({
      filePath: join(DIR, 'my icon.svg')
    })
  })

  it.each([
    ['app://bernoulli/../../etc/passwd.html'],
    ['app://bernoulli/%2e%2e/%2e%2e/etc/x.js'],
    ['app://bernoulli/assets/..%2f..%2fsecret.js'],
    ['app://bernoulli/assets/..%5c..%5csecret.js'],
    ['app://bernoulli/a%00.js'],
    ['app://bernoulli/%E0%A4%A.js']
  ])('never leaves the renderer directory: %s', (url) => {
    const asset = resolveAppAsset(url, 'GET', DIR)
    if (asset.kind === 'file') expect(asset.filePath.startsWith(DIR + '/')).toBe(true)
    else expect(asset.status).toBe(400)
  })

  it('refuses other hosts, other methods and unknown file types', () => {
    expect(resolveAppAsset('app://other/index.html', 'GET', DIR)).toMatchObject({ status: 404 })
    expect(resolveAppAsset('https://bernoulli/index.html', 'GET', DIR)).toMatchObject({
      status: 404
    })
    expect(resolveAppAsset('app://bernoulli/index.html', 'POST', DIR)).toMatchObject({
      status: 405
    })
    expect(resolveAppAsset('app://bernoulli/index.js.map', 'GET', DIR)).toMatchObject({
      status: 404
    })
    expect(resolveAppAsset('not a url', 'GET', DIR)).toMatchObject({ status: 400 })
  })
})

describe('appResponseHeaders', () => {
  it('carries the policy, the type and nosniff', () => {
    expect(appResponseHeaders('text/html', "default-src 'none'")).toMatchObject({
      'Content-Type': 'text/html',
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff'
    })
  })
})
