import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { discardBody, readBody } from '../../../src/main/server/request-body'

/** A request body as a stream, with the headers given and a socket that records being cut. */
function fakeRequest(headers: Record<string, string> = {}) {
  const stream = new PassThrough()
  const socket = { destroyed: false, destroy: () => void (socket.destroyed = true) }
  const request = Object.assign(stream, { headers, socket }) as unknown as IncomingMessage
  return { request, stream, socket }
}

describe('readBody', () => {
  it('reads a body within the bound as text', async () => {
    const { request, stream } = fakeRequest()
    const body = readBody(request, 10)
    stream.write('héllo')
    stream.end(' !')
    expect(await body).toBe('héllo !')
  })

  it('answers null for a body declared or sent beyond the bound', async () => {
    const declared = fakeRequest({ 'content-length': '11' })
    expect(await readBody(declared.request, 10)).toBeNull()
    const sent = fakeRequest()
    const body = readBody(sent.request, 10)
    sent.stream.write('0123456789')
    sent.stream.write('x')
    expect(await body).toBeNull()
  })
})

describe('discardBody', () => {
  it('reads a short body to its end without cutting the connection', async () => {
    const { request, stream, socket } = fakeRequest()
    discardBody(request, 10)
    const ended = new Promise((resolve) => request.once('end', resolve))
    stream.end('0123456789')
    await ended
    expect(socket.destroyed).toBe(false)
  })

  it('cuts the connection once the body goes past the bound', async () => {
    const { request, stream, socket } = fakeRequest()
    discardBody(request, 10)
    const read = new Promise((resolve) => request.once('data', resolve))
    stream.write('0123456789')
    await read
    expect(socket.destroyed).toBe(false)
    const more = new Promise((resolve) => request.once('data', resolve))
    stream.write('x')
    await more
    expect(socket.destroyed).toBe(true)
  })
})
