import { Lexer } from 'yaml'

/**
 * Deepest `[`/`{` nesting a scenario's text may have. A scenario needs 4 (document, steps, step,
 * shape); the `yaml` library composes nodes recursively and overflows the stack from about 800
 * levels (2 KB of `[`), and on Node 20 a second such overflow in one process has been seen to
 * kill it (a fatal out-of-memory in V8's RegExp compiler), so deep text never reaches it.
 */
export const MAX_FLOW_DEPTH = 32
/**
 * Rightmost column (0-based) at which a block indicator (`-`, `?`, `:` outside brackets) may
 * stand. Block nesting needs at least one more column every two levels, so this bounds block
 * depth (`- - - - …` on one line, or ever deeper indentation) far below the overflow.
 */
export const MAX_BLOCK_COLUMN = 128

/** Where a text nests too deeply for the YAML parser, and why; null when it does not. */
export interface NestingProblem {
  /** 1-based line. */
  line: number
  reason: string
}

// The lexer marks document starts, scalars and flow ends with control characters of its own.
const MARKERS = new Set(['\u0002', '\u0018', '\u001f', '\ufeff'])
const BLOCK_INDICATORS = new Set(['-', '?', ':'])

/**
 * Finds nesting too deep to hand to the YAML parser, in one linear pass of the library's own
 * lexer (which, unlike the composer, does not recurse). JSON is YAML here, so this guards both.
 * Never throws on bad input; syntax errors are left for the parser to report.
 */
export function findDeepNesting(text: string): NestingProblem | null {
  let line = 1
  let column = 0
  let flowDepth = 0
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) continue
    if (token === '[' || token === '{') {
      if (++flowDepth > MAX_FLOW_DEPTH) {
        return {
          line,
          reason: `nested more than ${MAX_FLOW_DEPTH} brackets deep; a scenario needs 4 at most`
        }
      }
    } else if (token === ']' || token === '}') {
      flowDepth = Math.max(0, flowDepth - 1)
    } else if (flowDepth === 0 && BLOCK_INDICATORS.has(token) && column > MAX_BLOCK_COLUMN) {
      return {
        line,
        reason: `nested or indented more than ${MAX_BLOCK_COLUMN} columns deep; a scenario needs a few`
      }
    }
    const newlines = countNewlines(token)
    if (newlines === 0) column += token.length
    else {
      line += newlines
      column = token.length - token.lastIndexOf('\n') - 1
    }
  }
  return null
}

function countNewlines(token: string): number {
  let count = 0
  for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) count++
  return count
}
