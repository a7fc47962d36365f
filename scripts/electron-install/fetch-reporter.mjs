// Loaded into Electron's own installer (node_modules/electron/install.js) with `node --import`
// by scripts/ensure-electron.mjs. It changes nothing the installer does: it wraps the global
// fetch to report, as JSON lines on the file descriptor named by ENSURE_ELECTRON_REPORT_FD,
// each response's status, the download's progress, and a failed request's underlying cause
// (which the installer's own `err.stack` drops: it prints only "fetch failed").
import { writeSync } from 'node:fs'

const fd = Number(process.env.ENSURE_ELECTRON_REPORT_FD)
const PROGRESS_STEP_BYTES = 1 << 20

function send(message) {
  if (!Number.isInteger(fd)) return
  try {
    writeSync(fd, `${JSON.stringify(message)}\n`)
  } catch {
    // The parent went away; the installer goes on regardless.
  }
}

/** The system error behind undici's "fetch failed": code, host and port, one level deep. */
function describeCause(error) {
  const cause = error?.cause
  if (!cause) return null
  const inner = Array.isArray(cause.errors) ? (cause.errors[0] ?? cause) : cause
  return {
    code: inner.code ?? cause.code ?? null,
    message: String(inner.message ?? cause.message ?? ''),
    host: inner.hostname ?? inner.address ?? null,
    port: inner.port ?? null
  }
}

const originalFetch = globalThis.fetch
globalThis.fetch = async function reportingFetch(input, init) {
  const url = typeof input === 'string' ? input : (input.url ?? String(input))
  let response
  try {
    response = await originalFetch(input, init)
  } catch (error) {
    send({
      type: 'fetch-error',
      url,
      message: String(error?.message ?? error),
      cause: describeCause(error)
    })
    throw error
  }
  const length = Number(response.headers.get('content-length'))
  const total = Number.isFinite(length) && length > 0 ? length : null
  send({ type: 'response', url, status: response.status, total })
  if (!response.ok || !response.body || !new URL(url).pathname.endsWith('.zip')) return response
  let received = 0
  let reported = 0
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        received += chunk.byteLength
        if (received - reported >= PROGRESS_STEP_BYTES || received === total) {
          reported = received
          send({ type: 'progress', url, received, total })
        }
        controller.enqueue(chunk)
      },
      flush() {
        if (received !== reported) send({ type: 'progress', url, received, total })
      }
    })
  )
  const wrapped = new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers
  })
  Object.defineProperty(wrapped, 'url', { value: response.url })
  return wrapped
}
