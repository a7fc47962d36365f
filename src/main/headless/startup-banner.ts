import type { ConnectionInfo } from '../../shared/ipc-contract'
import {
  isLoopbackHost,
  JSON_STREAM_PATH,
  PROTOCOL_VERSION,
  SSE_PATH,
  STATUS_PATH,
  type StreamState
} from '../../shared/protocol/messages'

/** What headless mode prints once it listens: where to connect, the token, and the exposure. */
export function startupBanner(info: ConnectionInfo, state: StreamState, servesUi: boolean): string {
  const { httpUrl, referenceUrl, controlToken } = info
  const wsBase = httpUrl.replace(/^http:/, 'ws:')
  const uiUrl = controlToken === null ? `${httpUrl}/` : `${httpUrl}/#token=${controlToken}`
  const lines = [
    `Bernoulli Stream: Bernoulli(p = ${state.p}) every ${state.intervalMs} ms${state.running ? '' : ' (stopped)'}`,
    servesUi
      ? `  App UI in a browser:  ${uiUrl}`
      : `  App UI:               not built (run "npx electron-vite build" first); the stream works without it`,
    `  Reference dialect:    ${referenceUrl}   (also ${wsBase.replace('127.0.0.1', 'localhost')})`,
    `  JSON protocol v${PROTOCOL_VERSION}:     ${wsBase}${JSON_STREAM_PATH}`,
    `  Server-Sent Events:   ${httpUrl}${SSE_PATH}`,
    `  Status:               ${httpUrl}${STATUS_PATH}`,
    controlToken === null
      ? '  Control token:        none (--no-token): any local program may steer the stream'
      : `  Control token:        ${controlToken}`,
    isLoopbackHost(info.host)
      ? `Bound to ${info.host}: reachable from this machine only. Ctrl-C stops.`
      : `WARNING: bound to ${info.host}: the stream is reachable from your network. Ctrl-C stops.`,
    ''
  ]
  return lines.join('\n')
}
