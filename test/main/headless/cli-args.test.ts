import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../../src/main/headless/cli-args'

describe('parseCliArgs', () => {
  it('defaults to the reference settings on loopback', () => {
    expect(parseCliArgs([])).toEqual({
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
    const result = parseCliArgs([
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
        allowedHostNames: ['stream.lan']
      }
    })
    expect(parseCliArgs(['--no-token'])).toMatchObject({ settings: { controlToken: null } })
  })

  it.each([
    [['--p', '1.5'], /--p: p must be a number from 0 to 1/],
    [['--p', '0.5abc'], /--p must be a number/],
    [['--p', ''], /--p must be a number/],
    [['--interval', '0'], /--interval: interval must be/],
    [['--interval', '1e3'], /--interval must be a number/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--port', '-1'], /--port/],
    [['--seed', '0'], /--seed/],
    [['--token', 'short'], /--token must be/],
    [['--token', 'abcdefghij', '--no-token'], /cannot be used together/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['stray'], /positional/i],
    [['--host', ' '], /--host must not be empty/]
  ])('refuses %j', (argv, message) => {
    const result = parseCliArgs(argv)
    expect(result.kind).toBe('error')
    expect(result.kind === 'error' && result.message).toMatch(message)
  })

  it('answers --help and --version', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' })
    expect(parseCliArgs(['-v'])).toEqual({ kind: 'version' })
  })
})
