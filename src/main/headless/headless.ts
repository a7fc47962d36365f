import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CodedError, ErrorCode } from '../../shared/error-codes'
import { SERVER_NAME } from '../server-name'
import { createStreamService } from '../stream-service'
import { invocationDir } from '../command-line/invocation-dir'
import { HELP_TEXT, parseCliArgs } from './cli-args'
import { prepareDataSource } from './prepare-data-source'
import { startupBanner } from './startup-banner'

// The headless entry: the same sampler and server as the desktop app, under plain Node.
async function main(): Promise<number> {
  // Relative paths on the command line (--scenario, --record, --replay, --follow, --ui-dir) are
  // the user's, read from the folder they typed `npm run serve` in.
  process.chdir(invocationDir(process.env, process.cwd(), ['serve']))
  const parsed = parseCliArgs(process.argv.slice(2))
  if (parsed.kind === 'help') {
    process.stdout.write(HELP_TEXT)
    return 0
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${SERVER_NAME}\n`)
    return 0
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`Error: ${parsed.message}\nRun with --help to see every option.\n`)
    return 2
  }
  const { dataSource, ...settings } = parsed.settings
  const prepared = await prepareDataSource(dataSource)
  if (!prepared.ok) {
    process.stderr.write(`Error: ${prepared.message}\n`)
    return 2
  }
  for (const note of prepared.notes) process.stderr.write(`${note}\n`)
  const here = dirname(fileURLToPath(import.meta.url))
  const uiDir = settings.uiDir ?? resolve(here, '../renderer')
  const service = createStreamService({
    ...settings,
    ...prepared.options,
    staticDir: existsSync(resolve(uiDir, 'index.html')) ? uiDir : undefined,
    log: (message) => process.stderr.write(`${message}\n`)
  })
  // Installed before anything is printed: the banner says Ctrl-C stops, so it must, at once.
  const stopped = new Promise<number>((done) => {
    let stopping = false
    const shutDown = (signal: string): void => {
      if (stopping) {
        process.stderr.write('Forced exit.\n')
        process.exit(130)
      }
      stopping = true
      process.stdout.write(`\n${signal}: closing connections…\n`)
      service.close().then(
        () => {
          process.stdout.write('Stopped.\n')
          done(0)
        },
        (error: unknown) => {
          process.stderr.write(
            `Error while stopping: ${error instanceof Error ? error.message : String(error)}\n`
          )
          done(1)
        }
      )
    }
    process.on('SIGINT', () => shutDown('SIGINT'))
    process.on('SIGTERM', () => shutDown('SIGTERM'))
  })
  try {
    const info = await service.listen()
    process.stdout.write(
      startupBanner(info, service.state(), existsSync(resolve(uiDir, 'index.html')), {
        recording: dataSource.record ?? null,
        faults: dataSource.faults?.spec ?? null
      })
    )
  } catch (error) {
    if (error instanceof CodedError && error.code === ErrorCode.PortInUse) {
      process.stderr.write(
        `Error: ${error.message}. Pick another with --port <number>, or --port 0 for any free port.\n`
      )
      return 1
    }
    if (error instanceof CodedError) {
      process.stderr.write(`Error: ${error.message}.\n`)
      return 1
    }
    // A file named on the command line that could not be opened at the last moment.
    if (
      error instanceof Error &&
      (dataSource.record !== undefined || dataSource.follow !== undefined)
    ) {
      process.stderr.write(`Error: ${error.message}\n`)
      await service.close()
      return 2
    }
    throw error
  }
  return await stopped
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
)
