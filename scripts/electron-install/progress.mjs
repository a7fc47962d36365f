// Shows the download's progress from fetch-reporter.mjs's reports: a line rewritten in place on
// a terminal, one line per tenth in a log.

const MB = 1024 * 1024

/** Formats bytes as megabytes with one decimal, e.g. `104.2 MB`. */
export function megabytes(bytes) {
  return `${(bytes / MB).toFixed(1)} MB`
}

/**
 * A progress display writing to `stream` (stdout). Call `update(report)` with every report;
 * `end()` once the installer is done.
 */
export function createProgress(stream, version) {
  const tty = Boolean(stream.isTTY)
  let started = false
  let lastTenth = -1
  let open = false
  return {
    update(report) {
      if (
        report.type === 'response' &&
        report.status < 400 &&
        new URL(report.url).pathname.endsWith('.zip')
      ) {
        started = true
        const size = report.total ? ` (${megabytes(report.total)})` : ''
        stream.write(`Downloading Electron ${version}${size} from ${new URL(report.url).host}…\n`)
        return
      }
      if (report.type !== 'progress' || !started) return
      const share = report.total ? report.received / report.total : null
      const text =
        share === null
          ? `  ${megabytes(report.received)}`
          : `  ${Math.floor(share * 100)} % (${megabytes(report.received)} of ${megabytes(report.total)})`
      if (tty) {
        stream.write(`\r${text}`)
        open = true
        return
      }
      const tenth =
        share === null ? Math.floor(report.received / (10 * MB)) : Math.floor(share * 10)
      if (tenth > lastTenth) {
        lastTenth = tenth
        stream.write(`${text}\n`)
      }
    },
    end() {
      if (open) stream.write('\n')
      open = false
    }
  }
}
