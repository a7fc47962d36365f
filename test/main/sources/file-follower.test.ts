import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../src/shared/clock'
import { FileFollower } from '../../../src/main/sources/file-follower'
import type { SampleFileProblem } from '../../../src/main/sources/sample-file'
import type { BadLine, BadLinePolicy } from '../../../src/main/sources/sample-lines'

let dir: string
const followers: FileFollower[] = []
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'follow-'))
})
afterEach(async () => {
  await Promise.all(followers.splice(0).map((f) => f.close()))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A follower whose events the test can wait for. */
async function follow(path: string, badLines: BadLinePolicy = 'skip') {
  const values: number[] = []
  const bad: BadLine[] = []
  const notices: string[] = []
  const failures: SampleFileProblem[] = []
  let wake: () => void = () => undefined
  const changed = () => wake()
  const follower = await FileFollower.open({
    path,
    clock: systemClock,
    badLines,
    pollMs: 50,
    onSamples: (v) => {
      values.push(...v)
      changed()
    },
    onBadLine: (b) => {
      bad.push(b)
      changed()
    },
    onNotice: (n) => {
      notices.push(n)
      changed()
    },
    onFail: (p) => {
      failures.push(p)
      changed()
    }
  })
  followers.push(follower)
  /** Resolves when `done()` holds, re-checked after every event. */
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (done()) resolve()
      }
      wake = check
      check()
    })
  return { follower, values, bad, notices, failures, until }
}

describe('FileFollower', () => {
  it('turns every appended 0/1 line into a sample, not what was there before', async () => {
    const path = join(dir, 'grow.txt')
    await writeFile(path, '1\n1\n1\n')
    const f = await follow(path)
    await appendFile(path, '0\n1\n')
    await f.until(() => f.values.length === 2)
    expect(f.values).toEqual([0, 1])
    await appendFile(path, '# note\n\n0\n')
    await f.until(() => f.values.length === 3)
    expect(f.values).toEqual([0, 1, 0])
    expect(f.follower.status()).toMatchObject({ following: true, samples: 3, lines: 5 })
  })

  it('waits for the newline of a partial line, including one there at the start', async () => {
    const path = join(dir, 'partial.txt')
    await writeFile(path, '0\n1')
    const f = await follow(path)
    await appendFile(path, '\n0')
    await f.until(() => f.values.length === 1)
    expect(f.values).toEqual([1])
    await appendFile(path, '\n')
    await f.until(() => f.values.length === 2)
    expect(f.values).toEqual([1, 0])
  })

  it('reports bad lines with their line number and skips them', async () => {
    const path = join(dir, 'bad.txt')
    await writeFile(path, '1\n')
    const f = await follow(path)
    await appendFile(path, 'yes\n1\n')
    await f.until(() => f.values.length === 1 && f.bad.length === 1)
    expect(f.bad).toEqual([{ line: 2, reason: 'expected 0 or 1, got "yes"' }])
    expect(f.values).toEqual([1])
  })

  it('stops at a bad line with --bad-lines fail, keeping the samples before it', async () => {
    const path = join(dir, 'fail.txt')
    await writeFile(path, '')
    const f = await follow(path, 'fail')
    await appendFile(path, '1\n0\noops\n1\n')
    await f.until(() => f.failures.length === 1)
    expect(f.values).toEqual([1, 0])
    expect(f.failures).toEqual([{ source: path, line: 3, reason: 'expected 0 or 1, got "oops"' }])
    expect(f.follower.status().following).toBe(false)
  })

  it('follows a truncated file from its new start, and a replaced one from the start of the new file', async () => {
    const path = join(dir, 'rotate.txt')
    await writeFile(path, '')
    const f = await follow(path)
    await appendFile(path, '1\n1\n1\n')
    await f.until(() => f.values.length === 3)
    await truncate(path, 0)
    await f.until(() => f.notices.some((n) => n.includes('truncated')))
    await appendFile(path, '0\n')
    await f.until(() => f.values.length === 4)
    const next = join(dir, 'rotate.new')
    await writeFile(next, '1\n0\n')
    await rename(next, path)
    await f.until(() => f.values.length === 6)
    expect(f.values).toEqual([1, 1, 1, 0, 1, 0])
    expect(f.notices.some((n) => n.includes('replaced'))).toBe(true)
  })

  it('refuses a missing file with its name', async () => {
    await expect(follow(join(dir, 'nope.txt'))).rejects.toThrow(
      `${join(dir, 'nope.txt')}: no such file`
    )
    await expect(follow(dir)).rejects.toThrow('not a file')
  })
})
