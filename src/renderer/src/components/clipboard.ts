/** Copies text to the clipboard; resolves to false (never rejects) when the page may not. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // Denied permission or no user activation: the caller tells the person to copy by hand.
    return false
  }
}
