import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { useStreamServices } from '../../support/service-fixture'

// Opening a file fails as it does when the process is out of file descriptors, while this is set.
const fdExhaustion = vi.hoisted(() => ({ on: false }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    open: (...args: Parameters<typeof actual.open>) => {
      if (!fdExhaustion.on) return actual.open(...args)
      return Promise.reject(
        Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })
      )
    }
  }
})

const SECRET = 'the secret next to the UI'
let root: string
let uiDir: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'static-files-'))
  uiDir = join(root, 'ui')
  mkdirSync(join(uiDir, 'assets'), { recursive: true })
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><div id="app"></div>')
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), SECRET)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const { startService } = useStreamServices({ controlToken: null, autoStart: false })

/** A GET with the path sent exactly as given (fetch would normalise `..` away first). */
function rawGet(port: number, path: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      req.on('error', reject)
      req.end()
    }
  )
}

describe('static files', () => {
  it('serves index.html at / and assets with their types; HEAD sends headers only', async () => {
    const { info } = await startService({ staticDir: uiDir })
    const page = await rawGet(info.port, '/')
    expect(page).toMatchObject({ status: 200, body: '<!doctype html><div id="app"></div>' })
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff'
    })
    const script = await rawGet(info.port, '/assets/app.js')
    expect(script).toMatchObject({ status: 200, body: 'console.log(1)' })
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const head = await rawGet(info.port, '/assets/app.js', 'HEAD')
    expect(head).toMatchObject({ status: 200, body: '' })
    expect(head.headers['content-length']).toBe('14')
  })

  it.each(['/missing.js', '/assets', '/assets/'])('answers %s with 404', async (path) => {
    const { info } = await startService({ staticDir: uiDir })
    expect((await rawGet(info.port, path)).status).toBe(404)
  })

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00../secret.txt'
  ])('never serves a file outside its directory: %s', async (path) => {
    const { info } = await startService({ staticDir: uiDir })
    const response = await rawGet(info.port, path)
    expect([400, 404]).toContain(response.status)
    expect(response.body).not.toContain(SECRET)
  })

  it('answers 503 with a short text when no file can be opened (out of file descriptors), then recovers', async () => {
    const { info } = await startService({ staticDir: uiDir })
    fdExhaustion.on = true
    try {
      const busy = await rawGet(info.port, '/assets/app.js')
      expect(busy.status).toBe(503)
      expect(busy.headers['retry-after']).toBe('1')
      expect(busy.body).toBe('Server busy: too many open files. Try again in a moment.\n')
    } finally {
      fdExhaustion.on = false
    }
    expect((await rawGet(info.port, '/assets/app.js')).status).toBe(200)
  })
})
