import {
  BRIDGE_METHODS,
  IPC_CHANNELS,
  type BernoulliBridge,
  type IpcInvokeChannel
} from '../shared/ipc-contract'
import { decodeIpcReply, encodeIpcError } from '../shared/ipc-reply'

/**
 * The one IPC operation the bridge needs; the preload passes a thin wrapper of
 * `ipcRenderer.invoke`. Resolves to main's raw answer (an `IpcReply`, still unchecked).
 */
export type BridgeInvoke = (channel: IpcInvokeChannel, ...args: unknown[]) => Promise<unknown>

/**
 * Builds the object exposed as `window.bernoulli`: one async method per entry of
 * `IPC_CHANNELS`, and nothing else. The page never sees Electron. Each method resolves to main's
 * value or rejects with an `IpcError` (`{ code, message }`).
 */
export function buildBridge(invoke: BridgeInvoke): BernoulliBridge {
  const bridge: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const method of BRIDGE_METHODS) {
    const channel = IPC_CHANNELS[method]
    // The page may pass anything; main validates the arguments, so they are forwarded as given.
    bridge[method] = async (...args) => {
      let reply: unknown
      try {
        reply = await invoke(channel, ...args)
      } catch (error) {
        // Electron itself refused the call (no handler: main is shutting down, or a bug).
        throw encodeIpcError(error)
      }
      return decodeIpcReply(reply)
    }
  }
  // Built from BRIDGE_METHODS above, which is what BernoulliBridge is derived from.
  return Object.freeze(bridge) as BernoulliBridge
}
