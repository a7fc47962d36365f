import { createServer, connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A loopback TCP proxy whose connections a test can cut at once, to play a network drop. */
export interface TcpProxy {
  port: number
  /** Destroys every open connection through the proxy (both sides). */
  cutAll(): void
  close(): Promise<void>
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>()
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    client.pipe(upstream).pipe(client)
    const drop = (): void => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const cutAll = (): void => {
    for (const [client, upstream] of pairs) {
      client.destroy()
      upstream.destroy()
    }
    pairs.clear()
  }
  return {
    port: (server.address() as AddressInfo).port,
    cutAll,
    close() {
      cutAll()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}
