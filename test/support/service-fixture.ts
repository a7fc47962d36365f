import { afterEach } from 'vitest'
import {
  createStreamService,
  type StreamService,
  type StreamServiceOptions
} from '../../src/main/stream-service'
import { TestClient } from './test-client'

/**
 * Real services on port 0 and test clients, all closed after each test. Call once at the top of
 * a test file; `defaults` apply to every service it starts.
 */
export function useStreamServices(defaults: StreamServiceOptions) {
  const services: StreamService[] = []
  const clients: TestClient[] = []
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate()
    await Promise.all(services.splice(0).map((s) => s.close()))
  })
  return {
    async startService(options: StreamServiceOptions = {}) {
      const service = createStreamService({ port: 0, ...defaults, ...options })
      services.push(service)
      const info = await service.listen()
      return {
        service,
        info,
        base: `ws://127.0.0.1:${info.port}`,
        http: `http://127.0.0.1:${info.port}`
      }
    },
    connect(url: string, options: ConstructorParameters<typeof TestClient>[1] = {}): TestClient {
      const client = new TestClient(url, options)
      clients.push(client)
      return client
    },
    /** Closes `service` with the others after the test (for services made by hand). */
    track(service: StreamService): void {
      services.push(service)
    }
  }
}
