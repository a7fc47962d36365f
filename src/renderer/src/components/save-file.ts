/** Hands text to the browser as a downloaded file (a blob URL and a temporary link). */

/**
 * Saves `text` as `name`; the browser (or the desktop window's download policy) decides where.
 * @param type the MIME type, e.g. `text/csv`.
 */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The download has taken the blob by the next task; revoking now could cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
