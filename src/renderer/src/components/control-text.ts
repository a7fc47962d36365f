/** Sentences for control failures and for why a page is read-only. */
import { ErrorCode } from '../../../shared/error-codes'
import { LocalErrorCode, type ControlError } from '../stream/control'
import type { ReadOnlyReason } from '../stream/controller.svelte'

const LOCAL_TEXT: Record<string, string> = {
  [LocalErrorCode.NotConnected]: 'Not connected to the stream; try again once it reconnects.',
  [LocalErrorCode.Timeout]: 'The server did not answer in time.',
  [LocalErrorCode.ReadOnly]: 'This page can watch but not steer the stream.',
  [LocalErrorCode.Unsupported]: 'This version of the desktop app cannot draw single samples.',
  [LocalErrorCode.Bridge]: 'The desktop app could not apply the change.',
  [LocalErrorCode.Client]: 'The request failed.'
}

/** What to show for a failed request: the server's own sentence where it gave one. */
export function controlErrorText(error: ControlError): string {
  if (error.detail) return `${error.detail} (${error.code})`
  return LOCAL_TEXT[error.code] ?? `The request failed (${error.code}).`
}

/** Why the page is read-only, as a sentence. */
export function readOnlyText(reason: ReadOnlyReason): string {
  if (reason.kind === 'no-token') {
    return 'This page can watch but not steer: it has no control token. Paste the token the server printed (or open the address it printed, which ends in #token=…).'
  }
  if (reason.code === ErrorCode.ForbiddenOrigin) {
    return 'The server lets pages from its own address steer, and this page is from another one: it can watch only.'
  }
  if (reason.newRun) {
    return 'The server restarted, and the token this page had does not steer the new run (a new token is made every time the server starts). Paste the new token to steer again.'
  }
  return 'The server refused this page’s control token. Paste the token the server printed most recently to steer.'
}
