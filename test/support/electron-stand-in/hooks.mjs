// Module resolution hooks (run off the main thread). `electron` → the stand-in. With
// STAND_IN_STUCK_RENAME=1, the main bundle's `node:fs/promises` gets a rename that never
// settles: a settings folder on a file system that hangs (a stuck network home directory).
const STAND_IN = new URL('./electron.mjs', import.meta.url).href
const STUCK_FS = new URL('./stuck-fs.mjs', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: STAND_IN, shortCircuit: true }
  if (
    specifier === 'node:fs/promises' &&
    process.env.STAND_IN_STUCK_RENAME === '1' &&
    context.parentURL?.endsWith('/out/main/index.js')
  ) {
    return { url: STUCK_FS, shortCircuit: true }
  }
  return nextResolve(specifier, context)
}
