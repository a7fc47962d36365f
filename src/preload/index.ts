import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_GLOBAL } from '../shared/ipc-contract'
import { buildBridge } from './bridge'

// Runs sandboxed with context isolation: the page gets only this bridge, never ipcRenderer.
contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  buildBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args))
)
