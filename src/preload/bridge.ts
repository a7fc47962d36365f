import {
  BRIDGE_METHODS,
  type BernoulliBridge,
  type IpcEventChannel,
  type IpcEventContract,
  type IpcInvokeChannel,
  type IpcInvokeContract
} from '../shared/ipc-contract'

/** The two IPC operations the bridge needs; the preload passes thin wrappers of `ipcRenderer`. */
export interface BridgeTransport {
  /** Invokes `channel` in main with `args`; resolves to main's answer. */
  invoke<C extends IpcInvokeChannel>(
    channel: C,
    ...args: Parameters<IpcInvokeContract[C]>
  ): Promise<ReturnType<IpcInvokeContract[C]>>
  /** Calls `listener` with each payload main sends on `channel`; returns an unsubscribe. */
  subscribe<E extends IpcEventChannel>(
    channel: E,
    listener: (payload: IpcEventContract[E]) => void
  ): () => void
}

type BridgeMethod = keyof typeof BRIDGE_METHODS

/**
 * Builds the object exposed as `window.bernoulli`: one async method per entry of
 * {@link BRIDGE_METHODS} plus `onStateChanged`, and nothing else. The page never sees Electron.
 */
export function buildBridge(transport: BridgeTransport): BernoulliBridge {
  const invokers: Partial<Record<BridgeMethod, unknown>> = {}
  for (const method of Object.keys(BRIDGE_METHODS) as BridgeMethod[]) {
    const channel = BRIDGE_METHODS[method]
    // The page may pass anything; main validates the arguments, so they are forwarded as given.
    invokers[method] = (...args: unknown[]) =>
      (transport.invoke as (channel: IpcInvokeChannel, ...args: unknown[]) => Promise<unknown>)(
        channel,
        ...args
      )
  }
  const onStateChanged: BernoulliBridge['onStateChanged'] = (listener) => {
    if (typeof listener !== 'function')
      throw new TypeError('onStateChanged needs a listener function')
    return transport.subscribe('stream:state-changed', (state) => listener(state))
  }
  // Each method was built from BRIDGE_METHODS above, which is what BernoulliBridge is derived from.
  return Object.freeze({ ...invokers, onStateChanged }) as BernoulliBridge
}
