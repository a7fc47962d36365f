import type { IncomingMessage } from 'node:http'

// Request bodies, read or thrown away, never beyond what the path needs.

/** The body as text, or null once it exceeds `maxBytes` (the rest is not read). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume()
    return Promise.resolve(null)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        request.removeAllListeners('data')
        request.resume()
        resolve(null)
      } else chunks.push(chunk)
    })
    request.on('end', () =>
      resolve(size > maxBytes ? null : Buffer.concat(chunks).toString('utf8'))
    )
    request.on('error', reject)
  })
}

/**
 * Reads and throws away a body the server will not use, so that the connection can serve the
 * next request; past `maxBytes` the connection is cut, so that a refused peer cannot keep the
 * server reading a body that never ends.
 */
export function discardBody(request: IncomingMessage, maxBytes: number): void {
  let size = 0
  request.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > maxBytes) request.socket.destroy()
  })
  request.resume()
}
