import { describe, expect, it } from 'vitest'
import {
  appArguments,
  DESKTOP_HELP_TEXT,
  parseDesktopArgs
} from '../../../src/main/app/desktop-args'
import { HELP_TEXT, parseCliArgs } from '../../../src/main/headless/cli-args'

const parse = (args: string[]) => parseDesktopArgs(args)
const messageOf = (args: string[]): string => {
  const result = parse(args)
  return result.kind === 'error' ? result.message : `not refused: ${result.kind}`
}

describe('appArguments', () => {
  it('takes what follows the executable of a packaged app', () => {
    expect(appArguments(['/opt/Bernoulli Stream/bernoulli-stream', '--seed', '4'], true)).toEqual([
      '--seed',
      '4'
    ])
  })

  it('takes what follows the app path in a development run, past Electron’s own switches', () => {
    // electron-vite dev: electron . <our args> <its own switches>
    expect(
      appArguments(['/x/electron', '.', '--scenario', 's.json', '--no-sandbox'], false)
    ).toEqual(['--scenario', 's.json', '--no-sandbox'])
    // Switches before the app path, and -r with its module (as Electron's default app reads it).
    expect(
      appArguments(
        [
          '/x/electron',
          '--inspect=0',
          '-r',
          'loader.js',
          '--remote-debugging-port=0',
          '/repo',
          '--stopped'
        ],
        false
      )
    ).toEqual(['--stopped'])
    // The built main bundle under plain Node (the shell tests): node <script> <args>.
    expect(
      appArguments(['/usr/bin/node', '/repo/out/main/index.js', '--seed', '1'], false)
    ).toEqual(['--seed', '1'])
    expect(appArguments(['/x/electron', '.'], false)).toEqual([])
    expect(appArguments(['/x/electron'], false)).toEqual([])
  })
})

describe('parseDesktopArgs', () => {
  it('starts with nothing asked when there is nothing to read', () => {
    expect(parse([])).toEqual({
      kind: 'run',
      settings: {
        p: undefined,
        intervalMs: undefined,
        seed: undefined,
        autoStart: true,
        given: [],
        dataSource: expect.objectContaining({ scenario: undefined, record: undefined })
      }
    })
  })

  it('reads the stream options exactly as npm run serve does', () => {
    const args = [
      '--seed',
      '42',
      '--p',
      '0.25',
      '--interval=20',
      '--stopped',
      '--scenario',
      'examples/scenarios/change-point.yaml',
      '--record',
      'run.csv',
      '--faults',
      'drop=0.05,delay=20-200'
    ]
    const desktop = parse(args)
    const headless = parseCliArgs(args)
    if (desktop.kind !== 'run' || headless.kind !== 'run') throw new Error('refused')
    const { given, ...stream } = desktop.settings
    expect(stream).toEqual({
      p: headless.settings.p,
      intervalMs: headless.settings.intervalMs,
      seed: headless.settings.seed,
      autoStart: headless.settings.autoStart,
      dataSource: headless.settings.dataSource
    })
    expect(stream).toMatchObject({ seed: 42, p: 0.25, intervalMs: 20, autoStart: false })
    expect(given).toEqual([
      '--seed',
      '--p',
      '--interval',
      '--stopped',
      '--scenario',
      '--record',
      '--faults'
    ])
    expect(parse(['--replay', 'r.ndjson', '--speed', '4', '--bad-lines', 'skip'])).toMatchObject({
      settings: { dataSource: { replay: 'r.ndjson', speed: 4, badLines: 'skip' } }
    })
    expect(parse(['--follow', 'f.txt'])).toMatchObject({
      settings: { dataSource: { follow: 'f.txt' } }
    })
  })

  it('refuses what npm run serve refuses, with the same sentence', () => {
    for (const args of [
      ['--seed', '0'],
      ['--p', '-0.5'],
      ['--interval', 'fast'],
      ['--replay', 'a', '--follow', 'b'],
      ['--follow', 'a', '--seed', '3'],
      ['--speed', '2'],
      ['--faults', 'jitter=5'],
      ['--seed', '1', '--seed', '2']
    ]) {
      const headless = parseCliArgs(args)
      expect(headless.kind, args.join(' ')).toBe('error')
      expect(messageOf(args), args.join(' ')).toBe(headless.kind === 'error' && headless.message)
    }
  })

  it('leaves Chromium’s, Electron’s and Node’s switches to them, wherever they are', () => {
    expect(
      parse([
        '--no-sandbox',
        '--seed',
        '5',
        '--enable-logging',
        '--ozone-platform=wayland',
        '--enable-features=WaylandWindowDecorations',
        '--v=1',
        '--inspect=5858',
        '--remote-debugging-port=9222',
        '--lang=de'
      ])
    ).toMatchObject({ kind: 'run', settings: { seed: 5, given: ['--seed'] } })
    // `npm run dev -- -- …` leaves a "--"; macOS may add a process serial number.
    expect(parse(['--', '--stopped', '-psn_0_12345'])).toMatchObject({
      settings: { autoStart: false }
    })
  })

  it('refuses a typo of one of ours instead of passing it to Chromium', () => {
    expect(messageOf(['--sede', '5'])).toBe("Unknown option '--sede'; did you mean --seed?")
    expect(messageOf(['--scenaro=x.json'])).toMatch(/did you mean --scenario\?/)
    expect(messageOf(['--stoped'])).toMatch(/did you mean --stopped\?/)
    expect(messageOf(['--interval-ms', '5'])).toMatch(/did you mean --interval\?/)
    expect(messageOf(['-x'])).toBe("Unknown option '-x'")
  })

  it('says why the server options of npm run serve are not taken', () => {
    expect(messageOf(['--port', '9000'])).toBe(
      '--port is an option of npm run serve: the desktop app keeps its port in its settings and asks for another when it is taken'
    )
    expect(messageOf(['--host=0.0.0.0'])).toMatch(
      /^--host is an option of npm run serve: .*127\.0\.0\.1/
    )
    expect(messageOf(['--no-token'])).toMatch(/control token/)
    expect(messageOf(['--allow-host', 'x.lan'])).toMatch(
      /^--allow-host is an option of npm run serve/
    )
  })

  it('refuses a word that belongs to no option', () => {
    expect(messageOf(['examples/scenarios/change-point.yaml'])).toBe(
      'Unexpected "examples/scenarios/change-point.yaml": every value follows its option (for example --scenario examples/scenarios/change-point.yaml), and Chromium\'s switches take theirs after "="'
    )
    expect(messageOf(['--user-data-dir', '/tmp/x'])).toMatch(/^Unexpected "\/tmp\/x"/)
    expect(messageOf(['--scenario'])).toMatch(/argument missing/)
  })

  it('answers --help and --version, and its help names every stream option', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help' })
    expect(parse(['-h', '--no-sandbox'])).toEqual({ kind: 'help' })
    expect(parse(['-v'])).toEqual({ kind: 'version' })
    for (const flag of [
      '--seed',
      '--p',
      '--interval',
      '--stopped',
      '--scenario',
      '--record',
      '--replay',
      '--speed',
      '--column',
      '--follow',
      '--bad-lines',
      '--faults'
    ]) {
      expect(DESKTOP_HELP_TEXT).toContain(flag)
      expect(HELP_TEXT).toContain(flag)
    }
    expect(DESKTOP_HELP_TEXT).not.toMatch(/^\s+--port/m)
  })
})
