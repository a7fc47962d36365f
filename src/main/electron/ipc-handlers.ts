import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import { IPC_INVOKE_CHANNELS, type IpcInvokeChannel } from '../../shared/ipc-contract'
import { encodeIpcError, type IpcReply } from '../../shared/ipc-reply'
import { parseInvokeArgs, type InvokeArgs, type InvokeResult } from '../app/ipc-arguments'
import type { StreamState } from '../../shared/protocol/messages'
import type { StreamService } from '../stream-service-types'

/** Main's implementation of one invoke channel, typed by the contract. */
export type InvokeHandler<C extends IpcInvokeChannel> = (
  ...args: InvokeArgs<C>
) => InvokeResult<C> | Promise<InvokeResult<C>>

/** Decides whether an invoke comes from our own renderer; anything else is refused. */
export type SenderGuard = (event: IpcMainInvokeEvent) => boolean

/** Registers typed invoke handlers behind one sender guard. */
export interface IpcRegistry {
  /**
   * Handles `channel`: checks the sender, validates the arguments, then calls `fn` with the
   * typed tuple. The invoke never rejects: it resolves to an {@link IpcReply}, whose failures
   * carry a stable code (`encodeIpcError`), for the preload to decode.
   * @throws {Error} when `channel` is already handled here (programmer misuse).
   */
  handle<C extends IpcInvokeChannel>(channel: C, fn: InvokeHandler<C>): void
  /** Removes every handler this registry added. Idempotent. */
  dispose(): void
}

/** Creates an {@link IpcRegistry} whose handlers accept only senders `isTrustedSender` approves. */
export function createIpcRegistry(isTrustedSender: SenderGuard): IpcRegistry {
  const channels = new Set<IpcInvokeChannel>()
  return {
    handle(channel, fn) {
      if (channels.has(channel)) throw new Error(`${channel} is already handled`)
      channels.add(channel)
      ipcMain.handle(
        channel,
        async (event, ...args: unknown[]): Promise<IpcReply<InvokeResult<typeof channel>>> => {
          try {
            if (!isTrustedSender(event)) {
              throw new CodedError(
                ErrorCode.InvalidIpc,
                `${channel} refused: the sender is not this app's window`
              )
            }
            return { ok: true, value: await fn(...parseInvokeArgs(channel, args)) }
          } catch (error) {
            return { ok: false, error: encodeIpcError(error) }
          }
        }
      )
    },
    dispose() {
      for (const channel of channels) ipcMain.removeHandler(channel)
      channels.clear()
    }
  }
}

/** Options of {@link registerStreamIpc}. */
export interface StreamIpcOptions {
  /** The one service behind the IPC, the HTTP server and the WebSocket clients alike. */
  service: StreamService
  /** See {@link SenderGuard}; usually {@link ownRendererGuard}. */
  isTrustedSender: SenderGuard
  /**
   * Asks the user where to record (a save dialog); resolves to the path, or null when the user
   * cancelled. The page never names a path itself.
   */
  chooseRecordingPath: () => Promise<string | null>
}

/**
 * Wires every invoke channel to the stream service.
 * @returns a function that removes the handlers. Idempotent.
 */
export function registerStreamIpc(options: StreamIpcOptions): () => void {
  const { service } = options
  let choosingPath = false
  const recordToFile = async (): Promise<StreamState | null> => {
    const current = service.state().recording
    // Refused before the dialog: the user should not pick a file that cannot be used.
    if (current || choosingPath) {
      throw new CodedError(
        ErrorCode.AlreadyRecording,
        current
          ? `already recording to ${current.file}: stop that recording first`
          : 'the Record to file dialog is already open'
      )
    }
    choosingPath = true
    let path: string | null
    try {
      path = await options.chooseRecordingPath()
    } finally {
      choosingPath = false
    }
    // The save dialog asked before replacing an existing file, so it may be replaced.
    return path === null ? null : service.startRecording(path, { replace: true })
  }
  // The mapped type makes a channel added to the contract a compile error until it is served.
  const handlers: { [C in IpcInvokeChannel]: InvokeHandler<C> } = {
    'stream:start': () => service.start(),
    'stream:stop': () => service.stop(),
    'stream:set-p': (p) => service.setP(p),
    'stream:set-interval': (intervalMs) => service.setIntervalMs(intervalMs),
    'stream:draw': (count) => service.draw(count),
    'stream:reseed': (...seed) => service.reseed(...seed),
    'recording:start': recordToFile,
    'recording:stop': () => service.stopRecording(),
    'app:connection-info': () => service.connectionInfo()
  }
  const registry = createIpcRegistry(options.isTrustedSender)
  const register = <C extends IpcInvokeChannel>(channel: C): void =>
    registry.handle(channel, handlers[channel])
  for (const channel of IPC_INVOKE_CHANNELS) register(channel)
  return () => registry.dispose()
}

/** A sender as the guard sees it: the parts of `IpcMainInvokeEvent` it reads. */
interface GuardedEvent {
  sender: Pick<WebContents, 'id'>
  senderFrame: { url: string; parent: unknown } | null
}

/**
 * The usual {@link SenderGuard}: the sending contents must belong to one of our windows and the
 * sending frame must be a top-level frame showing our renderer (Fiddle's rule, plus the frame).
 * @param ownContents our windows' contents, read at each call so new windows are covered.
 * @param isOwnRendererUrl whether a frame URL is our renderer's page.
 */
export function ownRendererGuard(
  ownContents: () => readonly Pick<WebContents, 'id'>[],
  isOwnRendererUrl: (url: string) => boolean
): SenderGuard {
  return (event: GuardedEvent) => {
    const frame = event.senderFrame
    if (frame === null || frame.parent !== null) return false
    if (!ownContents().some((contents) => contents.id === event.sender.id)) return false
    return isOwnRendererUrl(frame.url)
  }
}
