/**
 * Chromium's Local Network Access permissions, under the names Electron reports (the single
 * `local-network-access` of earlier builds, split into `local-network` and `loopback-network`
 * later). Reaching our own server on 127.0.0.1 from the app's page can require one of them.
 */
export const LOCAL_NETWORK_PERMISSIONS: readonly string[] = [
  'local-network-access',
  'local-network',
  'loopback-network'
]

/**
 * `navigator.clipboard.writeText` asks for this one; refusing it breaks every Copy button.
 * Only writing is granted: reading the clipboard (`clipboard-read`) stays refused.
 */
export const CLIPBOARD_WRITE_PERMISSION = 'clipboard-sanitized-write'

const GRANTED: ReadonlySet<string> = new Set([
  ...LOCAL_NETWORK_PERMISSIONS,
  CLIPBOARD_WRITE_PERMISSION
])

/**
 * Whether our session grants `permission` to a page. Granted only to our own page, and only
 * what it needs: local-network access (the CSP's `connect-src` already limits it to our one
 * server, so the grant cannot be used to probe other ports) and writing to the clipboard (Copy).
 * Everything else (camera, microphone, notifications, geolocation, clipboard reads, …) is
 * refused: the app needs none of it, and a compromised page should not get it.
 * @param permission the name Electron passes to the permission handlers.
 * @param fromOwnPage whether the requesting frame (or origin) is our renderer.
 */
export function isPermissionGranted(permission: string, fromOwnPage: boolean): boolean {
  return fromOwnPage && GRANTED.has(permission)
}
