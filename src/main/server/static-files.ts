import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
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

/**
 * Serves a file from `rootDir` for a GET or HEAD request, never outside it. Resolves false when
 * there is no such file (so the caller can answer 404), true once it has answered.
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
  let size: number
  try {
    const info = await stat(filePath)
    if (!info.isFile()) return false
    size = info.size
  } catch {
    return false
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
    response.end()
    return true
  }
  // pipeline destroys the file stream when the client goes away early: no file handle leaks.
  await pipeline(createReadStream(filePath), response).catch(() => response.destroy())
  return true
}
