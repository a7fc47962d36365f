import { readFile, stat } from 'node:fs/promises'
import { isMap, isNode, isSeq, LineCounter, parseDocument, type Document } from 'yaml'
import type { ScenarioProblem } from './scenario'
import { validateScenario, type ScenarioCheck } from './scenario-validator'
import { findDeepNesting } from './yaml-nesting'

/** Largest scenario accepted, from a file or an upload (128 KiB: far beyond 1000 steps). */
export const MAX_SCENARIO_BYTES = 128 * 1024

/** How to read a scenario's text: by its file name, or by its first character when unknown. */
export type ScenarioSyntax = 'json' | 'yaml' | 'auto'

/** The syntax a file name implies: `.json` is JSON, `.yaml`/`.yml` YAML, anything else sniffed. */
export function syntaxOfName(name: string): ScenarioSyntax {
  const lower = name.toLowerCase()
  if (lower.endsWith('.json')) return 'json'
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml'
  return 'auto'
}

/**
 * Parses and validates a scenario's text. Nesting too deep for the parser is refused first (see
 * {@link findDeepNesting}). JSON is parsed strictly (JSON.parse) and YAML with the
 * `yaml` library (YAML 1.2 core schema, duplicate keys refused, aliases bounded); a refused
 * step's line is learnt from the YAML parse (for JSON, made only then).
 * Never throws on bad input.
 * @param source file name or label named in problems.
 */
export function parseScenarioText(
  text: string,
  source: string,
  syntax: ScenarioSyntax
): ScenarioCheck {
  const refuse = (reason: string, line: number | null = null): ScenarioCheck => ({
    ok: false,
    problem: { source, step: null, line, reason }
  })
  if (Buffer.byteLength(text) > MAX_SCENARIO_BYTES) {
    return refuse(
      `larger than ${MAX_SCENARIO_BYTES / 1024} KiB; a scenario is a short list of steps`
    )
  }
  // Before any parser sees it: the YAML composer recurses (JSON is read as YAML too, for lines).
  const deep = findDeepNesting(text)
  if (deep) return refuse(deep.reason, deep.line)
  const effective = syntax === 'auto' ? (/^\s*[{[]/.test(text) ? 'json' : 'yaml') : syntax
  const lineCounter = new LineCounter()
  const readDocument = (): Document.Parsed =>
    parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      schema: 'core',
      strict: true
    })
  let data: unknown
  let document: Document.Parsed | null = null
  if (effective === 'json') {
    try {
      data = JSON.parse(text)
    } catch (error) {
      return refuse(`not valid JSON: ${(error as Error).message}`)
    }
  } else {
    document = readDocument()
    const first = document.errors[0]
    if (first) {
      return refuse(
        `not valid YAML: ${first.message.split('\n')[0]}`,
        lineCounter.linePos(first.pos[0]).line
      )
    }
    try {
      data = document.toJS({ maxAliasCount: 100 })
    } catch (error) {
      return refuse(`not valid YAML: ${(error as Error).message}`)
    }
  }
  return validateScenario(data, source, (index) => {
    // JSON is read as YAML only to name a refused step's line: a YAML parse costs ~100× JSON.parse.
    document ??= readDocument()
    const contents = document.contents
    const steps = isMap(contents) ? contents.get('steps', true) : undefined
    const node: unknown = isSeq(steps) ? steps.items[index] : undefined
    const offset = isNode(node) ? node.range?.[0] : undefined
    return offset === undefined ? null : lineCounter.linePos(offset).line
  })
}

/**
 * Reads and validates a scenario file. Resolves to the scenario or to the problem (a missing
 * file, one too large, bad syntax, or a step the server cannot run); never rejects.
 */
export async function loadScenarioFile(path: string): Promise<ScenarioCheck> {
  const problem = (reason: string): ScenarioCheck => ({
    ok: false,
    problem: { source: path, step: null, line: null, reason } satisfies ScenarioProblem
  })
  let text: string
  try {
    const info = await stat(path)
    if (!info.isFile()) return problem('not a file')
    if (info.size > MAX_SCENARIO_BYTES) {
      return problem(
        `larger than ${MAX_SCENARIO_BYTES / 1024} KiB; a scenario is a short list of steps`
      )
    }
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return problem(
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`
    )
  }
  return parseScenarioText(text, path, syntaxOfName(path))
}
