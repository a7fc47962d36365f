/** Longest line a followed file may have, in characters; longer ones are reported and dropped. */
export const MAX_LINE_CHARS = 4096

/** A complete line and its 1-based number in the file; `tooLong` when it was cut off. */
export interface AssembledLine {
  line: number
  text: string
  tooLong: boolean
}

/**
 * Turns text arriving in arbitrary pieces (a growing file read as it grows) into complete lines:
 * a piece may end mid-line, and the rest of that line arrives later. Memory is bounded: a line
 * longer than {@link MAX_LINE_CHARS} is kept only up to that length and flagged.
 */
export class LineAssembler {
  #partial = ''
  #tooLong = false
  #lineNumber: number

  /** @param linesBefore complete lines already in the file before the first piece. */
  constructor(linesBefore = 0) {
    this.#lineNumber = linesBefore
  }

  /** Complete lines in `piece` (with the partial line before it), in order. */
  push(piece: string): AssembledLine[] {
    const lines: AssembledLine[] = []
    let start = 0
    for (;;) {
      const newline = piece.indexOf('\n', start)
      if (newline < 0) break
      this.#append(piece.slice(start, newline))
      this.#lineNumber++
      lines.push({
        line: this.#lineNumber,
        text: this.#partial.replace(/\r$/, ''),
        tooLong: this.#tooLong
      })
      this.#partial = ''
      this.#tooLong = false
      start = newline + 1
    }
    this.#append(piece.slice(start))
    return lines
  }

  /** Forgets the partial line and starts numbering again (the file was truncated or replaced). */
  reset(linesBefore = 0): void {
    this.#partial = ''
    this.#tooLong = false
    this.#lineNumber = linesBefore
  }

  /** Whether a partial line is waiting for its newline. */
  get hasPartialLine(): boolean {
    return this.#partial !== '' || this.#tooLong
  }

  #append(text: string): void {
    if (this.#tooLong) return
    if (this.#partial.length + text.length > MAX_LINE_CHARS) {
      this.#partial = (this.#partial + text).slice(0, MAX_LINE_CHARS)
      this.#tooLong = true
    } else this.#partial += text
  }
}
