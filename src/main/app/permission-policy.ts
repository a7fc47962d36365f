/**
 * Chromium's Local Network Access permissions, under the names Electron reports (the single
 * `local-network-access` of earlier builds, split into `local-network` and `loopback-network`
 * later). A page loaded from `file://` is not "local" to Chromium, so reaching our own server on
 * 127.0.0.1 can require one of them.
 */
export const LOCAL_NETWORK_PERMISSIONS: readonly string[] = [
  'local-network-access',
  'local-network',
  'loopback-network'
]

/**
 * Whether our session grants `permission`. Only local-network access is granted: the page must
 * reach the stream server on loopback, and the CSP's `connect-src` already limits it to that one
 * server, so the grant cannot be used to probe other ports. Everything else (camera, microphone,
 * notifications, geolocation, clipboard reads, …) is refused: the app needs none of it, and a
 * compromised page should not get it. Only our own page lives in this session, because
 * navigation and pop-ups are refused.
 * @param permission the name Electron passes to the permission handlers.
 */
export function isPermissionGranted(permission: string): boolean {
  return LOCAL_NETWORK_PERMISSIONS.includes(permission)
}
