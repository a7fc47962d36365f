/** Copy-paste snippets for external clients of the reference (one "0"/"1" text frame per sample) dialect. */

/** Snippets for one reference URL. */
export interface ClientSnippets {
  python: string
  browser: string
  websocat: string
}

/**
 * Builds the snippets for `referenceUrl` (e.g. `ws://127.0.0.1:8888/websocket/`). The browser
 * snippet uses the bare origin, which the reference dialect also serves at `/`.
 */
export function clientSnippets(referenceUrl: string): ClientSnippets {
  const origin = originOf(referenceUrl)
  return {
    python: [
      'import asyncio',
      'from tornado.websocket import websocket_connect',
      '',
      'async def main():',
      `    conn = await websocket_connect("${referenceUrl}")`,
      '    while (msg := await conn.read_message()) is not None:',
      '        print(int(msg))',
      '',
      'asyncio.run(main())'
    ].join('\n'),
    browser: `new WebSocket('${origin}').onmessage = e => console.log(e.data)`,
    websocat: `websocat ${referenceUrl}`
  }
}

// The bare ws://host:port of a URL; the URL itself if it does not parse (never throws).
function originOf(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return url
  }
}
