// A JSON-protocol client in Node (ws): keeps a Beta(2, 2) posterior, optionally steers p.
// Usage: node examples/json-client.mjs [ws://127.0.0.1:8888/v1/stream] [SAMPLES] [TOKEN NEW_P]
import { WebSocket } from 'ws'

const [url = 'ws://127.0.0.1:8888/v1/stream', wanted = '100', token, newP] = process.argv.slice(2)
let alpha = 2
let beta = 2
let received = 0
const ws = new WebSocket(url)
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString())
  if (msg.type === 'hello') {
    console.log(`hello: p=${msg.state.p} interval=${msg.state.intervalMs} ms`)
    if (token && newP) ws.send(JSON.stringify({ type: 'set', p: Number(newP), id: 1, token }))
  } else if (msg.type === 'samples') {
    for (const value of msg.values) {
      alpha += value
      beta += 1 - value
      received++
    }
    if (received >= Number(wanted)) {
      console.log(
        `received ${received} samples; posterior mean ${(alpha / (alpha + beta)).toFixed(4)}`
      )
      ws.close()
    }
  } else if (msg.type === 'ack') {
    console.log(`ack ${msg.id}: p is now ${msg.state.p}`)
  } else if (msg.type === 'error') {
    console.log(`server error ${msg.code}: ${msg.message}`)
  }
})
ws.on('error', (error) => {
  console.error(`cannot connect to ${url}: ${error.message}`)
  process.exitCode = 1
})
