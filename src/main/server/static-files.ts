import { open, type FileHandle } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

/** Errors of `open()` that mean "no such file here": the caller answers 404. */
const NOT_THERE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'ELOOP'])
/** Errors of `open()` that mean "not now": the process is out of file descriptors. */
const OUT_OF_FILES = new Set(['EMFILE', 'ENFILE'])

/**
 * Serves a file from `rootDir` for a GET or HEAD request, never outside it. The file is opened
 * before anything is answered, so every request gets a whole answer: 200 with the file, 503 with
 * a short text when no file can be opened now (out of file descriptors), or — resolving false —
 * nothing, for the caller to answer 404 when there is no such file. Other failures reject.
 * @param pathname the decoded URL path; `/` serves `index.html`.
 */
export async function serveStaticFile(
  rootDir: string,
  pathname: string,
  request: IncomingMessage,
  response: ServerResponse
): Promise<boolean> {
  const root = resolve(rootDir)
  const relative = normalize(pathname === '/' ? '/index.html' : pathname)
  const filePath = resolve(join(root, relative))
  if (filePath !== root && !filePath.startsWith(root + sep)) return false
  if (filePath.includes('\0')) return false
  let file: FileHandle
  try {
    file = await open(filePath, 'r')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (NOT_THERE.has(code)) return false
    if (!OUT_OF_FILES.has(code)) throw error
    response.writeHead(503, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': '1'
    })
    response.end('Server busy: too many open files. Try again in a moment.\n')
    return true
  }
  let size: number
  try {
    const info = await file.stat()
    if (!info.isFile()) {
      await file.close()
      return false
    }
    size = info.size
  } catch (error) {
    await file.close()
    throw error
  }
  const type = CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream'
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': size,
    'X-Content-Type-Options': 'nosniff',
    // Hashed asset names change with every build; the page itself must always be fresh.
    'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600'
  })
  if (request.method === 'HEAD') {
    await file.close()
    response.end()
    return true
  }
  // The stream closes the file when done; pipeline destroys it (closing the file too) when the
  // client goes away early, so no file handle leaks.
  await pipeline(file.createReadStream(), response).catch(() => response.destroy())
  return true
}
