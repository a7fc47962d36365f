import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import {
  findDeepNesting,
  MAX_BLOCK_COLUMN,
  MAX_FLOW_DEPTH
} from '../../../src/main/scenario/yaml-nesting'

const EXAMPLES = resolve(__dirname, '../../../examples/scenarios')

/** Maps and sequences nested by indentation, two levels every two columns, up to `columns`. */
function blockNesting(columns: number): string {
  let text = ''
  for (let column = 0; column <= columns; column += 2) {
    text += `${' '.repeat(column)}a:\n${' '.repeat(column)}-\n`
  }
  return `${text}${' '.repeat(columns + 2)}x\n`
}

describe('findDeepNesting', () => {
  it('passes every example scenario and the usual ways of writing one', async () => {
    for (const name of await readdir(EXAMPLES)) {
      expect(findDeepNesting(await readFile(join(EXAMPLES, name), 'utf8')), name).toBeNull()
    }
    const scenario = {
      name: 'brackets [[[[ and { inside strings do not count',
      steps: [{ at: 0, until: 5, ramp: { from: 0.1, to: 0.9 } }]
    }
    expect(findDeepNesting(JSON.stringify(scenario))).toBeNull()
    expect(findDeepNesting(JSON.stringify(scenario, null, 8))).toBeNull()
    const yaml = [
      '# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ in a comment',
      'description: |',
      `  ${'['.repeat(100)} in a block scalar`,
      'steps:',
      '        - at: 0',
      '          ramp:',
      '                  from: 0.1',
      '                  to: 0.9',
      '          until: 5',
      `        - { at: 6, p: ${'['.repeat(MAX_FLOW_DEPTH - 1)}0.5${']'.repeat(MAX_FLOW_DEPTH - 1)} }`
    ].join('\n')
    expect(findDeepNesting(yaml)).toBeNull()
  })

  it('refuses brackets nested too deep, naming the line', () => {
    expect(findDeepNesting(`steps:\n  - ${'['.repeat(MAX_FLOW_DEPTH + 1)}`)).toEqual({
      line: 2,
      reason: `nested more than ${MAX_FLOW_DEPTH} brackets deep; a scenario needs 4 at most`
    })
    expect(findDeepNesting('{"a": '.repeat(2000))?.line).toBe(1)
    expect(findDeepNesting('['.repeat(128 * 1024))?.reason).toContain('brackets deep')
  })

  it('refuses block nesting too deep, on one line or by indentation', () => {
    expect(findDeepNesting(`${'- '.repeat(1000)}x\n`)).toEqual({
      line: 1,
      reason: `nested or indented more than ${MAX_BLOCK_COLUMN} columns deep; a scenario needs a few`
    })
    // The `a:` at column 128 (its `:` at 129) is on line 129.
    expect(findDeepNesting(blockNesting(MAX_BLOCK_COLUMN + 2))?.line).toBe(MAX_BLOCK_COLUMN + 1)
    expect(findDeepNesting(blockNesting(MAX_BLOCK_COLUMN - 1))).toBeNull()
  })

  it('lets through only what the YAML parser composes without overflowing its stack', () => {
    // The deepest text it passes: block nesting up to its column, then brackets up to their depth.
    const deepest = `${blockNesting(MAX_BLOCK_COLUMN - 1).trimEnd()} ${'['.repeat(MAX_FLOW_DEPTH)}1${']'.repeat(MAX_FLOW_DEPTH)}\n`
    expect(findDeepNesting(deepest)).toBeNull()
    const document = parseDocument(deepest)
    expect(document.errors.map((error) => error.message)).toEqual([])
  })
})
