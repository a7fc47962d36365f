import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { BRIDGE_GLOBAL } from '../shared/ipc-contract'
import { buildBridge } from './bridge'

// Runs sandboxed with context isolation: the page gets only this bridge, never ipcRenderer or
// the raw IpcRendererEvent (whose `sender` would let it talk on any channel).
contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  buildBridge({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    subscribe: (channel, listener) => {
      const forward = (_event: IpcRendererEvent, payload: Parameters<typeof listener>[0]): void =>
        listener(payload)
      ipcRenderer.on(channel, forward)
      return () => {
        ipcRenderer.removeListener(channel, forward)
      }
    }
  })
)
