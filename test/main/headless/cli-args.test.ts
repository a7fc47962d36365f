import { describe, expect, it } from 'vitest'
import { FAULT_PARAMS } from '../../../src/main/faults/fault-spec'
import { HELP_TEXT, parseCliArgs } from '../../../src/main/headless/cli-args'
import { CLIENT_MESSAGE_TYPES } from '../../../src/shared/protocol/messages'

// A --ui-dir holds a built UI only where the test says so.
const builtUi = (dir: string) => dir === '/tmp/ui'
const parse = (argv: string[]) => parseCliArgs(argv, { isBuiltUi: builtUi })

describe('parseCliArgs', () => {
  it('defaults to the reference settings on loopback', () => {
    expect(parse([])).toEqual({
      kind: 'run',
      settings: expect.objectContaining({
        host: '127.0.0.1',
        port: 8888,
        p: 0.72,
        intervalMs: 100,
        autoStart: true,
        controlToken: undefined
      })
    })
  })

  it('reads every flag', () => {
    const result = parse([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--p',
      '0.25',
      '--interval',
      '2.5',
      '--seed',
      '7',
      '--token',
      'abcdefgh12',
      '--stopped',
      '--ping-interval',
      '500',
      '--peer-timeout',
      '1500',
      '--ui-dir',
      '/tmp/ui',
      '--allow-host',
      'Stream.LAN'
    ])
    expect(result).toEqual({
      kind: 'run',
      settings: {
        host: '0.0.0.0',
        port: 0,
        p: 0.25,
        intervalMs: 2.5,
        seed: 7,
        controlToken: 'abcdefgh12',
        autoStart: false,
        pingIntervalMs: 500,
        peerTimeoutMs: 1500,
        uiDir: '/tmp/ui',
        allowedHostNames: ['stream.lan'],
        dataSource: {
          scenario: undefined,
          record: undefined,
          replay: undefined,
          speed: 1,
          column: undefined,
          follow: undefined,
          badLines: 'fail',
          faults: undefined
        }
      }
    })
    expect(parse(['--no-token'])).toMatchObject({ settings: { controlToken: null } })
  })

  it('reads the data-source flags', () => {
    expect(
      parseCliArgs([
        '--scenario',
        's.yaml',
        '--record',
        'r.csv',
        '--faults',
        'drop=0.05,delay=20-200'
      ])
    ).toMatchObject({
      settings: {
        dataSource: {
          scenario: 's.yaml',
          record: 'r.csv',
          faults: {
            spec: 'drop=0.05,delay=20-200',
            request: { drop: 0.05, delay: { minMs: 20, maxMs: 200 } }
          }
        }
      }
    })
    expect(
      parseCliArgs([
        '--replay',
        'x.csv',
        '--speed',
        '2.5',
        '--column',
        'flag',
        '--bad-lines',
        'skip'
      ])
    ).toMatchObject({
      settings: { dataSource: { replay: 'x.csv', speed: 2.5, column: 'flag', badLines: 'skip' } }
    })
    expect(parseCliArgs(['--follow', 'f.txt'])).toMatchObject({
      settings: { dataSource: { follow: 'f.txt' } }
    })
  })

  it.each([
    [['--replay', 'a', '--follow', 'b'], /--replay and --follow cannot be used together/],
    [['--replay', 'a', '--scenario', 's'], /--scenario steers the sampler/],
    [['--follow', 'a', '--seed', '3'], /--seed seeds the sampler/],
    [['--replay', 'a', '--p', '0.5'], /--p sets the sampler's p; with --replay/],
    [['--speed', '2'], /--speed goes with --replay/],
    [['--replay', 'a', '--speed', '0'], /--speed must be a number above 0/],
    [['--replay', 'a', '--speed', 'fast'], /--speed must be/],
    [['--bad-lines', 'skip'], /--bad-lines goes with/],
    [['--follow', 'a', '--bad-lines', 'maybe'], /--bad-lines must be "fail" or "skip"/],
    [['--faults', 'drop=2'], /--faults: drop must be a fraction/],
    [['--faults', 'jitter=5'], /unknown fault "jitter"/],
    [['--record', ' '], /--record needs a value/]
  ])('refuses the data-source combination %j', (argv, message) => {
    const result = parseCliArgs(argv)
    expect(result.kind === 'error' && result.message).toMatch(message)
  })

  it.each([
    [['--p', '1.5'], /--p: p must be a number from 0 to 1/],
    [['--p', '0.5abc'], /--p must be a number/],
    [['--p', ''], /--p must be a number/],
    [['--interval', '0'], /--interval: interval must be/],

    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--port', '-1'], /^--port must be a whole number from 0 to 65535, got -1$/],
    [['--seed', '0'], /--seed/],
    [['--token', 'short'], /--token must be/],
    [['--token', 'abcdefghij', '--no-token'], /cannot be used together/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['stray'], /positional/i],
    [['--host', ' '], /--host must not be empty/]
  ])('refuses %j', (argv, message) => {
    const result = parse(argv)
    expect(result.kind).toBe('error')
    expect(result.kind === 'error' && result.message).toMatch(message)
  })

  it('reads decimals by the rule the UI uses: 1e-3, .5, 2.5E+2', () => {
    expect(parse(['--p', '1e-3', '--interval', '2.5E+1', '--port', '8e3'])).toMatchObject({
      kind: 'run',
      settings: { p: 0.001, intervalMs: 25, port: 8000 }
    })
    expect(parse(['--p', '.5'])).toMatchObject({ settings: { p: 0.5 } })
  })

  it('takes IPv6 addresses and host names for --host', () => {
    expect(parse(['--host', '::1'])).toMatchObject({ settings: { host: '::1' } })
    expect(parse(['--host', 'localhost'])).toMatchObject({ settings: { host: 'localhost' } })
  })

  it.each([
    [
      ['--ping-interval', '1000', '--peer-timeout', '500'],
      '--peer-timeout (500 ms) must be longer than --ping-interval (1000 ms): a peer answers a ping at most once per interval'
    ],
    [
      ['--peer-timeout', '10000'],
      '--peer-timeout (10000 ms) must be longer than --ping-interval (10000 ms): a peer answers a ping at most once per interval'
    ],
    [
      ['--ui-dir', '/nowhere'],
      '--ui-dir /nowhere holds no built UI (no index.html there); build it with "npx electron-vite build" or leave --ui-dir out'
    ],
    [
      ['--allow-host', 'stream.lan:8888'],
      '--allow-host takes a host name without a port, got "stream.lan:8888"'
    ],
    [['--allow-host', 'a b'], '--allow-host takes a host name without a port, got "a b"'],
    [['--host', '[::1]'], '--host takes an IPv6 address without brackets: --host ::1'],
    [
      ['--host', '127.0.0.1:8888'],
      '--host takes an address without a port, got "127.0.0.1:8888"; give the port with --port'
    ],
    [
      ['--host', 'no such host!'],
      '--host must be an IP address or a host name, got "no such host!"'
    ],
    [['--p', '-0.5'], '--p: p must be a number from 0 to 1, got -0.5'],
    [
      ['--interval', '-5'],
      '--interval: interval must be a number of milliseconds from 1 to 60000, got -5'
    ],
    [['--seed', '-1'], '--seed must be a whole number from 1 to 4294967295, got -1'],
    [['--port', '80.5'], '--port must be a whole number from 0 to 65535, got 80.5'],
    [['--p', '0.3', '--p', '0.5'], '--p was given twice (0.3, then 0.5); give it once'],
    [['--stopped', '--stopped'], '--stopped was given twice; give it once'],
    [['--token', 'abcdefgh12', '--token=abcdefgh34'], '--token was given twice; give it once']
  ])('refuses %j in one sentence', (argv, message) => {
    expect(parse(argv)).toEqual({ kind: 'error', message })
  })

  it('takes --allow-host more than once', () => {
    expect(parse(['--allow-host', 'a.lan', '--allow-host', 'B.lan'])).toMatchObject({
      settings: { allowedHostNames: ['a.lan', 'b.lan'] }
    })
  })

  it('--help names every per-connection fault parameter and every control message', () => {
    for (const key of FAULT_PARAMS) expect(HELP_TEXT).toMatch(new RegExp(`^  ${key}=`, 'm'))
    for (const type of CLIENT_MESSAGE_TYPES) expect(HELP_TEXT).toMatch(new RegExp(`\\b${type}\\b`))
  })

  it('answers --help and --version', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help' })
    expect(parse(['-v'])).toEqual({ kind: 'version' })
  })
})
