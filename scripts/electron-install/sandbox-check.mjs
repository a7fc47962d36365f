// Ubuntu 23.10+ restricts unprivileged user namespaces with AppArmor, which Chromium's sandbox
// uses; Electron then falls back to its setuid helper `chrome-sandbox`, which an npm install
// leaves owned by the user and not setuid, and the window aborts with "The SUID sandbox helper
// binary was found, but is not configured correctly". The installed .deb is not affected (it
// ships an AppArmor profile). This detects the condition before `npm run dev` starts Electron.

import { readFileSync, statSync } from 'node:fs'

/** Where the kernel says whether the restriction is on (`1`). */
export const USERNS_SYSCTL = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns'

/**
 * The advice to print, or null when Electron's sandbox can start.
 * @param {object} input
 * @param {string} input.platform `process.platform`.
 * @param {string|null} input.restriction the sysctl's content, null when absent.
 * @param {{ uid: number, mode: number } | null} input.helper `chrome-sandbox`'s owner and mode, null when absent.
 * @param {string} input.helperPath path of `chrome-sandbox`, for the commands.
 */
export function userNamespaceAdvice({ platform, restriction, helper, helperPath }) {
  if (platform !== 'linux' || restriction?.trim() !== '1') return null
  const setuidRoot = helper !== null && helper.uid === 0 && (helper.mode & 0o4000) !== 0
  if (setuidRoot) return null
  const quoted = `'${helperPath.replaceAll("'", "'\\''")}'`
  return (
    "AppArmor on this system (Ubuntu 23.10 or later) blocks the user namespaces Electron's " +
    'sandbox needs, so the window may abort with "The SUID sandbox helper binary was found, but ' +
    `is not configured correctly": fix it once with \`sudo chown root:root ${quoted} && sudo ` +
    `chmod 4755 ${quoted}\`, or install an AppArmor profile for Electron as the README shows.`
  )
}

/** Reads the sysctl and the helper's state on this machine and returns the advice, if any. */
export function checkUserNamespaces(distDir, sysctlPath = USERNS_SYSCTL) {
  const helperPath = `${distDir}/chrome-sandbox`
  let restriction = null
  try {
    restriction = readFileSync(sysctlPath, 'utf8')
  } catch {
    // No such sysctl: not an AppArmor-restricted kernel.
  }
  let helper = null
  try {
    const stat = statSync(helperPath)
    helper = { uid: stat.uid, mode: stat.mode }
  } catch {
    // No helper: Electron cannot fall back to it either.
  }
  return userNamespaceAdvice({ platform: process.platform, restriction, helper, helperPath })
}
