import { protocol, type Session } from 'electron'
import { readFile } from 'node:fs/promises'
import { appResponseHeaders, resolveAppAsset } from '../app/app-scheme'
import { APP_SCHEME, type RendererLocation } from '../app/renderer-location'
import { withContentSecurityPolicy } from '../app/window-options'

/**
 * Declares our scheme to Chromium: standard (relative URLs, an origin of its own, web storage),
 * secure (a secure context, like https), fetch and CORS support for module scripts. It does not
 * bypass the CSP. Must run before the app is ready, once.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        codeCache: true
      }
    }
  ])
}

/**
 * Serves the renderer with `policy` as its Content-Security-Policy. The built renderer comes from
 * our scheme, whose handler sets the policy on every response; the dev server's page gets it
 * added to its responses instead (hot reload needs the dev server). Call once the app is ready.
 */
export function serveRenderer(renderer: RendererLocation, policy: string, session: Session): void {
  if (renderer.kind === 'dev-server') {
    session.webRequest.onHeadersReceived({ urls: [`${renderer.origin}/*`] }, (details, callback) =>
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) })
    )
    return
  }
  protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(request.url, request.method, renderer.rendererDir)
    if (asset.kind === 'refused') return new Response(asset.reason, { status: asset.status })
    try {
      const body = request.method === 'HEAD' ? null : await readFile(asset.filePath)
      return new Response(body, { headers: appResponseHeaders(asset.contentType, policy) })
    } catch (error) {
      const missing = (error as { code?: unknown }).code === 'ENOENT'
      return new Response(missing ? 'not found' : 'cannot read', { status: missing ? 404 : 500 })
    }
  })
}
