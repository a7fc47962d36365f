import type { BernoulliBridge } from '../shared/ipc-contract'

declare global {
  interface Window {
    /**
     * The preload's bridge (`BRIDGE_GLOBAL`): stream controls and connection info, nothing of
     * Electron. Optional because the same renderer also runs in a plain browser (`npm run serve`),
     * where there is no preload.
     */
    bernoulli?: BernoulliBridge
  }
}

export {}
