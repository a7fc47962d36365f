// node:fs/promises for the main bundle, except that rename never settles (see hooks.mjs).
import * as fs from 'node:fs/promises'

export const { mkdir, readFile, writeFile, stat } = fs

export function rename(from, to) {
  process.send?.({ type: 'event', name: 'rename-stuck', from, to })
  return new Promise(() => undefined)
}
