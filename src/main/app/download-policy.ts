import { isOwnRendererUrl, type RendererLocation } from './renderer-location'

/**
 * Whether the window may download `url`: a `blob:` URL our own page made (its CSV and NDJSON
 * downloads, `<a download href="blob:…">`). Electron then shows its usual save dialog, since
 * nothing sets a save path. Anything else is refused: our page never downloads from elsewhere.
 * @param url the download's URL (`DownloadItem.getURL()`), e.g. `blob:app://bernoulli/6f1c…`.
 */
export function isOwnDownloadUrl(url: string, renderer: RendererLocation): boolean {
  if (!url.startsWith('blob:')) return false
  // A blob URL is its creator's origin followed by an id: blob:<origin>/<uuid>.
  return isOwnRendererUrl(url.slice('blob:'.length), renderer)
}
