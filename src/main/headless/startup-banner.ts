import type { ConnectionInfo } from '../../shared/ipc-contract'
import {
  isLoopbackHost,
  JSON_STREAM_PATH,
  METRICS_PATH,
  PROTOCOL_VERSION,
  SSE_PATH,
  STATUS_PATH,
  type StreamState
} from '../../shared/protocol/messages'

/** What a run was asked to do besides streaming, for the banner. */
export interface BannerExtras {
  /** The file every sample is recorded to. */
  recording: string | null
  /** The server-wide fault spec (`--faults`). */
  faults: string | null
}

/**
 * What headless mode prints once it listens: where to connect, the token, the seed, where the
 * samples come from (and what is done to them), and the exposure.
 */
export function startupBanner(
  info: ConnectionInfo,
  state: StreamState,
  servesUi: boolean,
  extras: BannerExtras = { recording: null, faults: null }
): string {
  const { httpUrl, referenceUrl, controlToken } = info
  const wsBase = httpUrl.replace(/^http:/, 'ws:')
  const uiUrl = controlToken === null ? `${httpUrl}/` : `${httpUrl}/#token=${controlToken}`
  const source = state.source ?? { kind: 'sampler' }
  const stopped = state.running ? '' : ' (stopped)'
  const headline =
    source.kind === 'replay'
      ? `Bernoulli Stream: replaying ${source.file}${source.speed === 1 ? ' at its recorded pace' : ` ${source.speed}× faster`}${stopped}`
      : source.kind === 'follow'
        ? `Bernoulli Stream: following ${source.file} (every 0/1 line appended is a sample)${stopped}`
        : `Bernoulli Stream: Bernoulli(p = ${state.p}) every ${state.intervalMs} ms${stopped}`
  const lines = [
    headline,
    servesUi
      ? `  App UI in a browser:  ${uiUrl}`
      : `  App UI:               not built (run "npx electron-vite build" first); the stream works without it`,
    `  Reference dialect:    ${referenceUrl}   (also ${wsBase.replace('127.0.0.1', 'localhost')})`,
    `  JSON protocol v${PROTOCOL_VERSION}:     ${wsBase}${JSON_STREAM_PATH}`,
    `  Server-Sent Events:   ${httpUrl}${SSE_PATH}`,
    `  Status:               ${httpUrl}${STATUS_PATH}   Metrics: ${httpUrl}${METRICS_PATH}`,
    ...(state.seed != null
      ? [`  Seed:                 ${state.seed}   (--seed ${state.seed} repeats these samples)`]
      : []),
    ...(state.scenario
      ? [
          `  Scenario:             ${state.scenario.name} (${state.scenario.steps} steps${state.scenario.loop ? ', looping' : ''})`
        ]
      : []),
    ...(extras.recording ? [`  Recording to:         ${extras.recording}`] : []),
    ...(extras.faults
      ? [`  Faults (everyone):    ${extras.faults}   (a client opts out with ?faults=none)`]
      : []),
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
