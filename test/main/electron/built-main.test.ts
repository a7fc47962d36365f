import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { IPC_INVOKE_CHANNELS, type ConnectionInfo } from '../../../src/shared/ipc-contract'
import type { StreamState } from '../../../src/shared/protocol/messages'
import { parseSampleText } from '../../../src/main/sources/sample-file'
import { ensureBuilt } from '../../support/built-app'
import { BuiltMain } from '../../support/built-main'
import { TestClient } from '../../support/test-client'

// The real out/main/index.js (with the real stream server) under plain Node, its `electron`
// replaced through a module hook by a recording stand-in: what the glue wires up is asserted on
// the bundle users run. Real Electron is exercised by `npm run test:desktop` in CI.

interface Reply<T> {
  ok: boolean
  value?: T
  error?: { code: string; message: string }
}
interface State {
  setPaths: Array<{ name: string; value: string; beforeReady: boolean }>
  lockUserData: string
  privilegedSchemes: Array<{ scheme: string; privileges: Record<string, boolean> }>
  handledSchemes: string[]
  ipcChannels: string[]
  headerHooks: unknown[]
  windows: Array<{
    options: { webPreferences: Record<string, unknown> } & Record<string, unknown>
    loadedUrl: string
    focused: number
  }>
}
interface Fetched {
  status: number
  headers: Record<string, string>
  body: string
}

let appData: string
const running: BuiltMain[] = []
const clients: TestClient[] = []

/** Starts the bundle with settings that bind a free port; resolves once the window loaded. */
async function startMain(
  options: {
    packaged?: boolean
    stuckRename?: boolean
    settingsDir?: string
    args?: string[]
  } = {}
): Promise<BuiltMain> {
  const main = await launchMain(options)
  await main.event('window-loaded')
  return main
}

/** Starts the bundle without waiting for a window (a command line it may refuse). */
async function launchMain(
  options: { packaged?: boolean; stuckRename?: boolean; settingsDir?: string; args?: string[] } = {}
): Promise<BuiltMain> {
  const settingsDir = options.settingsDir ?? join(appData, 'Bernoulli Stream (dev)')
  await mkdir(settingsDir, { recursive: true })
  await writeFile(join(settingsDir, 'settings.json'), JSON.stringify({ port: 0, p: 0.6 }))
  const main = new BuiltMain(
    {
      STAND_IN_APP_DATA: appData,
      STAND_IN_PACKAGED: options.packaged ? '1' : '0',
      STAND_IN_STUCK_RENAME: options.stuckRename ? '1' : undefined,
      BERNOULLI_STREAM_USER_DATA: undefined
    },
    options.args
  )
  running.push(main)
  return main
}

async function connectionInfo(main: BuiltMain): Promise<ConnectionInfo> {
  const reply = await main.command<Reply<ConnectionInfo>>('invoke', {
    channel: 'app:connection-info',
    args: [],
    from: 'own'
  })
  if (!reply.ok || !reply.value) throw new Error(`no connection info: ${JSON.stringify(reply)}`)
  return reply.value
}

function client(url: string, origin?: string): TestClient {
  const created = new TestClient(url, origin ? { origin } : {})
  clients.push(created)
  return created
}

beforeAll(() => ensureBuilt())
beforeEach(async () => {
  appData = await mkdtemp(join(tmpdir(), 'bernoulli-appdata-'))
})
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate()
  for (const main of running.splice(0)) main.kill()
  await rm(appData, { recursive: true, force: true })
})

describe('built main process (out/main/index.js) against a recording Electron', () => {
  it('gives a development run its own settings folder and lock, set before ready', async () => {
    const main = await startMain()
    const state = await main.command<State>('state')
    const devFolder = join(appData, 'Bernoulli Stream (dev)')
    expect(state.setPaths).toEqual([{ name: 'userData', value: devFolder, beforeReady: true }])
    expect(state.lockUserData).toBe(devFolder)
  })

  it('keeps the installed app in "<appData>/Bernoulli Stream", named by productName', async () => {
    const main = await startMain({
      packaged: true,
      settingsDir: join(appData, 'Bernoulli Stream')
    })
    const state = await main.command<State>('state')
    expect(state.setPaths).toEqual([])
    expect(state.lockUserData).toBe(join(appData, 'Bernoulli Stream'))
    // The settings written there were read: p 0.6 from the file above.
    const info = await connectionInfo(main)
    const watcher = client(info.jsonStreamUrl)
    await watcher.until((c) => c.messages.some((m) => m.type === 'hello'))
    expect(watcher.messages[0]).toMatchObject({ type: 'hello', state: { p: 0.6 } })
  })

  it('opens one hardened window on app://bernoulli/ and serves every IPC channel', async () => {
    const main = await startMain()
    const state = await main.command<State>('state')
    expect(state.windows).toHaveLength(1)
    const [window] = state.windows
    expect(window!.loadedUrl).toBe('app://bernoulli/index.html')
    expect(window!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false
    })
    expect(String(window!.options.webPreferences.preload)).toMatch(
      /out[\\/]preload[\\/]index\.cjs$/
    )
    expect(state.privilegedSchemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true })
      })
    ])
    expect(state.privilegedSchemes[0]!.privileges.bypassCSP).toBeUndefined()
    expect(state.handledSchemes).toEqual(['app'])
    expect(state.headerHooks).toEqual([])
    expect([...state.ipcChannels].sort()).toEqual([...IPC_INVOKE_CHANNELS].sort())
  })

  it('serves our HTML and its assets from the scheme with a CSP limited to our server', async () => {
    const main = await startMain()
    const info = await connectionInfo(main)
    const page = await main.command<Fetched>('fetch', { url: 'app://bernoulli/index.html' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('<div id="app"></div>')
    const policy = page.headers['content-security-policy']!
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self'")
    expect(policy).toContain(
      `connect-src ws://127.0.0.1:${info.port} http://127.0.0.1:${info.port};`
    )
    expect(policy).not.toMatch(/unsafe-(inline|eval)/)

    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1]
    expect(script).toBeDefined()
    const asset = await main.command<Fetched>('fetch', { url: `app://bernoulli/${script}` })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/)
    expect(asset.headers['content-security-policy']).toBe(policy)

    for (const [url, status] of [
      // The URL parser drops encoded dot segments first: this asks for out/renderer/package.json.
      ['app://bernoulli/%2e%2e/%2e%2e/package.json', 404],
      ['app://bernoulli/assets/..%2f..%2f..%2fpackage.json', 400],
      ['app://bernoulli/missing.js', 404],
      ['app://other/index.html', 404]
    ] as const) {
      expect((await main.command<Fetched>('fetch', { url })).status, url).toBe(status)
    }
  })

  it('grants clipboard writes and loopback access to our page only', async () => {
    const main = await startMain()
    const ask = (mode: string, permission: string, url: string): Promise<boolean> =>
      main.command<boolean>('permission', { mode, permission, url })
    expect(await ask('request', 'clipboard-sanitized-write', 'app://bernoulli/index.html')).toBe(
      true
    )
    expect(await ask('check', 'clipboard-sanitized-write', 'app://bernoulli')).toBe(true)
    expect(await ask('request', 'loopback-network', 'app://bernoulli/index.html')).toBe(true)
    expect(await ask('request', 'clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(await ask('check', 'clipboard-sanitized-write', 'https://evil.example')).toBe(false)
    expect(await ask('request', 'clipboard-read', 'app://bernoulli/index.html')).toBe(false)
    expect(await ask('request', 'media', 'app://bernoulli/index.html')).toBe(false)
  })

  it('answers IPC from our page and refuses a subframe, another page and other contents', async () => {
    const main = await startMain()
    const invoke = (from: string, channel: string, ...args: unknown[]): Promise<Reply<unknown>> =>
      main.command<Reply<unknown>>('invoke', { channel, args, from })
    expect(await invoke('own', 'stream:set-p', 0.25)).toMatchObject({
      ok: true,
      value: { p: 0.25 }
    })
    expect(await invoke('own', 'stream:set-p', 7)).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID_P' }
    })
    for (const from of ['subframe', 'foreign-page', 'foreign-contents']) {
      expect(await invoke(from, 'stream:stop'), from).toMatchObject({
        ok: false,
        error: { code: 'E_INVALID_IPC', message: expect.stringMatching(/sender/) }
      })
    }
    const info = await connectionInfo(main)
    const watcher = client(info.jsonStreamUrl)
    await watcher.until((c) => c.messages.some((m) => m.type === 'hello'))
    expect(watcher.messages[0]).toMatchObject({ state: { p: 0.25, running: true } })
  })

  it('draws in step mode and reseeds through IPC, with the JSON path’s refusals', async () => {
    const main = await startMain()
    const invoke = (channel: string, ...args: unknown[]): Promise<Reply<StreamState>> =>
      main.command('invoke', { channel, args, from: 'own' })
    const info = await connectionInfo(main)
    const watcher = client(info.jsonStreamUrl)
    await watcher.until((c) => c.messages.some((m) => m.type === 'hello'))
    expect(await invoke('stream:draw', 3)).toMatchObject({
      ok: false,
      error: { code: 'E_RUNNING' }
    })
    const stopped = await invoke('stream:stop')
    const firstSeq = stopped.value!.nextSeq
    expect(await invoke('stream:reseed', 4242)).toMatchObject({ ok: true, value: { seed: 4242 } })
    expect(await invoke('stream:draw', 3)).toMatchObject({
      ok: true,
      value: { running: false, nextSeq: firstSeq + 3 }
    })
    expect(await invoke('stream:draw', 0)).toMatchObject({
      ok: false,
      error: { code: 'E_BAD_MESSAGE' }
    })
    expect(await invoke('stream:reseed', -1)).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID_SEED' }
    })
    expect(
      await main.command<Reply<unknown>>('invoke', {
        channel: 'stream:draw',
        args: [1],
        from: 'subframe'
      })
    ).toMatchObject({ ok: false, error: { code: 'E_INVALID_IPC' } })
    await watcher.until((c) => c.samples.some((s) => s.seq === firstSeq + 2))
    const drawn = watcher.samples.filter((s) => s.seq >= firstSeq)
    expect(drawn.map((s) => s.seq)).toEqual([firstSeq, firstSeq + 1, firstSeq + 2])
    expect(watcher.messages).toContainEqual(
      expect.objectContaining({
        type: 'state',
        change: 'seed',
        state: expect.objectContaining({ seed: 4242 })
      })
    )
  })

  it('lets our scheme’s origin steer over the socket, and no other origin', async () => {
    const main = await startMain()
    const info = await connectionInfo(main)
    const ours = client(info.jsonStreamUrl, 'app://bernoulli')
    const evil = client(info.jsonStreamUrl, 'https://evil.example')
    await Promise.all([ours.opened, evil.opened])
    ours.send({ type: 'set', p: 0.3, id: 1, token: info.controlToken })
    evil.send({ type: 'set', p: 0.9, id: 2, token: info.controlToken })
    await ours.until((c) => c.messages.some((m) => m.type === 'ack'), 5000, 'ack')
    await evil.until((c) => c.messages.some((m) => m.type === 'error'), 5000, 'error')
    expect(ours.messages.find((m) => m.type === 'ack')).toMatchObject({ id: 1 })
    expect(evil.messages.find((m) => m.type === 'error')).toMatchObject({
      id: 2,
      code: 'E_FORBIDDEN_ORIGIN'
    })
  })

  it('on window close tells clients 1001, writes the settings and exits 0', async () => {
    const main = await startMain()
    const info = await connectionInfo(main)
    const watcher = client(info.jsonStreamUrl)
    await watcher.opened
    await main.command('invoke', { channel: 'stream:set-p', args: [0.35], from: 'own' })
    await main.command('close-window')
    expect(await main.exited).toBe(0)
    await watcher.closed
    expect(watcher.closeCode).toBe(1001)
    expect(main.events.map((event) => event.name)).toContain('quit')
    const saved = JSON.parse(
      await readFile(join(appData, 'Bernoulli Stream (dev)', 'settings.json'), 'utf8')
    )
    expect(saved).toMatchObject({ p: 0.35 })
    expect(main.stderr).not.toContain('[shutdown]')
  })

  it('exits anyway at the shutdown deadline when the settings write hangs', async () => {
    const main = await startMain({ stuckRename: true })
    const info = await connectionInfo(main)
    const watcher = client(info.jsonStreamUrl)
    await watcher.opened
    await main.command('invoke', { channel: 'stream:set-p', args: [0.45], from: 'own' })
    await main.event('rename-stuck')
    await main.command('close-window')
    await watcher.closed
    expect(watcher.closeCode).toBe(1001)
    expect(await main.exited).toBe(1)
    expect(main.events.map((event) => event.name)).not.toContain('quit')
    expect(main.events.find((event) => event.name === 'exit')).toMatchObject({ code: 1 })
    expect(main.stderr).toContain('[shutdown] still closing after 5000 ms; exiting anyway')
  }, 30_000)

  it('hands over to the first instance: restores and focuses its window', async () => {
    const main = await startMain()
    await main.command('minimize')
    await main.command('second-instance')
    const state = await main.command<State>('state')
    expect(state.windows[0]!.focused).toBe(1)
  })

  it('takes the stream options on its command line, leaving Chromium’s switches alone', async () => {
    const scenario = join(appData, 'steps.json')
    await writeFile(
      scenario,
      JSON.stringify({ name: 'two steps', unit: 'samples', steps: [{ at: 0, p: 0.9 }] })
    )
    const main = await startMain({
      packaged: true,
      settingsDir: join(appData, 'Bernoulli Stream'),
      args: [
        '--no-sandbox',
        '--seed',
        '4242',
        '--stopped',
        '--enable-logging',
        '--scenario',
        scenario
      ]
    })
    const info = await connectionInfo(main)
    const watcher = client(info.jsonStreamUrl)
    await watcher.until((c) => c.messages.some((m) => m.type === 'hello'))
    expect(watcher.messages[0]).toMatchObject({
      type: 'hello',
      state: { seed: 4242, running: false, scenario: { name: 'two steps' } }
    })
  })

  it.each([
    [['--seed', '0'], /--seed must be a whole number from 1 to 4294967295, got 0$/m],
    [['--replay', 'a.ndjson', '--follow', 'b.txt'], /--replay.*--follow|--follow.*--replay/],
    [['--port', '9000'], /--port is an option of npm run serve/],
    [['--sede', '5'], /did you mean --seed\?/],
    [['--scenario', 'no-such-file.yaml'], /no-such-file\.yaml/]
  ])('refuses %j in one sentence (stderr and a dialog) and starts nothing', async (args, why) => {
    const main = await launchMain({ args })
    expect(await main.exited).toBe(2)
    const box = main.events.find((event) => event.name === 'error-box')
    expect(box).toMatchObject({ title: 'Bernoulli Stream cannot start' })
    expect(String(box!.content)).toMatch(why)
    expect(main.stderr).toMatch(why)
    expect(main.stderr).not.toMatch(/\n\s+at /)
    expect(main.events.map((event) => event.name)).not.toContain('window-loaded')
  })

  it('records to the file chosen in a save dialog on the window, and stops', async () => {
    const main = await startMain({ args: ['--seed', '7', '--stopped'] })
    const invoke = (channel: string, ...args: unknown[]): Promise<Reply<StreamState | null>> =>
      main.command('invoke', { channel, args, from: 'own' })
    // Cancel records nothing.
    expect(await invoke('recording:start')).toEqual({ ok: true, value: null })
    const dialog = main.events.find((event) => event.name === 'save-dialog')
    expect(dialog).toMatchObject({
      attached: true,
      options: {
        defaultPath: expect.stringMatching(/bernoulli-[\d-]+-seed-7\.ndjson$/),
        filters: [{ extensions: ['ndjson'] }, { extensions: ['csv'] }]
      }
    })
    const path = join(appData, 'chosen.csv')
    await main.command('save-dialog', { answer: path })
    const started = await invoke('recording:start')
    expect(started).toMatchObject({
      ok: true,
      value: { recording: { file: path, format: 'csv', failed: false } }
    })
    expect(await invoke('recording:start')).toMatchObject({
      ok: false,
      error: { code: 'E_ALREADY_RECORDING' }
    })
    await invoke('stream:draw', 5)
    expect(await invoke('recording:stop')).toMatchObject({ ok: true, value: { recording: null } })
    const recorded = parseSampleText(await readFile(path, 'utf8'), {
      source: path,
      badLines: 'fail'
    })
    if (!recorded.ok) throw new Error(`not a recording: ${JSON.stringify(recorded.problem)}`)
    expect(recorded.file.header).toMatchObject({ seed: 7 })
    expect(recorded.file.values).toHaveLength(5)
    expect(
      await main.command<Reply<unknown>>('invoke', {
        channel: 'recording:start',
        args: [],
        from: 'subframe'
      })
    ).toMatchObject({ ok: false, error: { code: 'E_INVALID_IPC' } })
  })

  it('lets our page download what it made, asking where; cancels any other download', async () => {
    const main = await startMain()
    const download = (url: string) =>
      main.command<{ cancelled: boolean; savePath: string | null }>('download', { url })
    expect(await download('blob:app://bernoulli/6f1c3a2e-1b2c-4d5e-8f90-123456789abc')).toEqual({
      cancelled: false,
      savePath: null,
      saveDialogOptions: null
    })
    expect(await download('blob:https://evil.example/6f1c')).toMatchObject({ cancelled: true })
    expect(await download('https://evil.example/payload.bin')).toMatchObject({ cancelled: true })
  })
})
