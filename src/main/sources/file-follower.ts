import { watch, type FSWatcher } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import type { Clock } from '../../shared/clock'
import { LineAssembler } from './line-assembler'
import type { SampleFileProblem } from './sample-file'
import { isIgnorableLine, parseBitLine, type BadLine, type BadLinePolicy } from './sample-lines'

/** Default time between two looks at a followed file besides change events, in ms. */
export const DEFAULT_FOLLOW_POLL_MS = 250
const READ_CHUNK_BYTES = 1024 * 1024

/** Options of {@link FileFollower.open}. */
export interface FileFollowerOptions {
  path: string
  clock: Clock
  badLines: BadLinePolicy
  /** Default {@link DEFAULT_FOLLOW_POLL_MS}. */
  pollMs?: number
  /** New samples, in file order; `timeMs` (epoch ms) is when they were read. */
  onSamples: (values: Array<0 | 1>, timeMs: number) => void
  /** A line that is not `0`/`1`, skipped (policy `skip`). */
  onBadLine: (bad: BadLine) => void
  /** Something a person should know: the file was truncated, replaced, or went missing. */
  onNotice: (message: string) => void
  /** A bad line under policy `fail`: following has stopped. */
  onFail: (problem: SampleFileProblem) => void
}

/** A snapshot of a follower. */
export interface FileFollowerStatus {
  following: boolean
  /** Lines read since following began, samples among them, and bad lines. */
  lines: number
  samples: number
  badLines: number
}

/**
 * Follows a file as it grows, like `tail -F`: every complete `0`/`1` line appended after it
 * started becomes a sample (blank lines and `#` comments are ignored). A partial line waits for
 * its newline; a truncated file is followed from its new start, a replaced one (new inode) from
 * the start of the new file, a removed one is waited for. Change events (inotify) make it
 * prompt; a poll every `pollMs` catches what events miss. Reads never overlap. Never throws
 * after `open`: problems are reported through the callbacks.
 */
export class FileFollower {
  readonly #options: FileFollowerOptions
  readonly #assembler: LineAssembler
  #decoder = new StringDecoder('utf8')
  #handle: FileHandle
  #inode: number
  #offset: number
  #watcher: FSWatcher | null = null
  #timer: unknown = null
  #reading = false
  #again = false
  #missing = false
  #closed = false
  #paused = false
  #lines = 0
  #samples = 0
  #badLines = 0

  private constructor(
    options: FileFollowerOptions,
    handle: FileHandle,
    inode: number,
    offset: number,
    lines: number
  ) {
    this.#options = options
    this.#handle = handle
    this.#inode = inode
    this.#offset = offset
    this.#assembler = new LineAssembler(lines)
  }

  /**
   * Starts following `path` from its current end (after its last complete line, so a partial
   * last line counts once it is finished). Rejects with a message naming the file when it does
   * not exist or is not a file.
   */
  static async open(options: FileFollowerOptions): Promise<FileFollower> {
    let handle: FileHandle
    try {
      const info = await stat(options.path)
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' })
      handle = await open(options.path, 'r')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'ENOTFILE'
            ? 'not a file'
            : `cannot be read (${code})`
      throw new Error(`${options.path}: ${why}`, { cause: error })
    }
    const info = await handle.stat()
    const { offset, lines } = await endOfLastLine(handle, info.size)
    const follower = new FileFollower(options, handle, info.ino, offset, lines)
    follower.#startWatching()
    follower.#schedulePoll()
    // Whatever was appended between the scan and now.
    void follower.#check()
    return follower
  }

  status(): FileFollowerStatus {
    return {
      following: !this.#closed,
      lines: this.#lines,
      samples: this.#samples,
      badLines: this.#badLines
    }
  }

  /**
   * Stops reading until {@link resume}: lines appended meanwhile wait in the file and come out,
   * in order, on resume (the file is the buffer).
   */
  pause(): void {
    this.#paused = true
  }

  resume(): void {
    this.#paused = false
    void this.#check()
  }

  /** Stops following and releases the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#watcher?.close()
    this.#watcher = null
    if (this.#timer !== null) this.#options.clock.clearTimer(this.#timer)
    this.#timer = null
    await this.#handle.close().catch(() => undefined)
  }

  #startWatching(): void {
    try {
      this.#watcher = watch(this.#options.path, { persistent: false }, () => void this.#check())
      this.#watcher.on('error', () => {
        // The file went away under the watcher; the poll notices and watches the new one.
        this.#watcher?.close()
        this.#watcher = null
      })
    } catch {
      this.#watcher = null
    }
  }

  #schedulePoll(): void {
    if (this.#closed) return
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = null
      void this.#check().finally(() => this.#schedulePoll())
    }, this.#options.pollMs ?? DEFAULT_FOLLOW_POLL_MS)
  }

  async #check(): Promise<void> {
    if (this.#reading) {
      this.#again = true
      return
    }
    this.#reading = true
    try {
      do {
        this.#again = false
        await this.#readNew()
      } while (this.#again && !this.#closed)
    } finally {
      this.#reading = false
    }
  }

  async #readNew(): Promise<void> {
    if (this.#closed || this.#paused) return
    let info
    try {
      info = await stat(this.#options.path)
    } catch {
      if (!this.#missing) {
        this.#missing = true
        this.#options.onNotice(`${this.#options.path} is gone; waiting for it to come back`)
      }
      return
    }
    if (info.ino !== this.#inode) {
      const handle = await open(this.#options.path, 'r').catch(() => null)
      if (!handle) return
      await this.#handle.close().catch(() => undefined)
      this.#handle = handle
      this.#inode = info.ino
      this.#restart(`${this.#options.path} was replaced; following the new file from its start`)
      this.#watcher?.close()
      this.#startWatching()
    } else if (info.size < this.#offset) {
      this.#restart(`${this.#options.path} was truncated; following it from its new start`)
    }
    this.#missing = false
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES)
    while (!this.#closed && !this.#paused) {
      const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, this.#offset)
      if (bytesRead === 0) break
      this.#offset += bytesRead
      if (!this.#consume(this.#decoder.write(buffer.subarray(0, bytesRead)))) return
    }
  }

  #restart(notice: string): void {
    this.#offset = 0
    this.#assembler.reset(0)
    this.#decoder = new StringDecoder('utf8')
    this.#options.onNotice(notice)
  }

  /** Turns text into samples; false when a bad line stopped following. */
  #consume(text: string): boolean {
    const values: Array<0 | 1> = []
    for (const { line, text: lineText, tooLong } of this.#assembler.push(text)) {
      this.#lines++
      if (!tooLong && isIgnorableLine(lineText)) continue
      const parsed = tooLong
        ? { ok: false as const, reason: 'line too long' }
        : parseBitLine(lineText)
      if (parsed.ok) {
        values.push(parsed.value)
        continue
      }
      this.#badLines++
      if (this.#options.badLines === 'fail') {
        this.#emit(values)
        this.#options.onFail({ source: this.#options.path, line, reason: parsed.reason })
        void this.close()
        return false
      }
      this.#options.onBadLine({ line, reason: parsed.reason })
    }
    this.#emit(values)
    return true
  }

  #emit(values: Array<0 | 1>): void {
    if (values.length === 0) return
    this.#samples += values.length
    this.#options.onSamples(values, this.#options.clock.epochMs())
  }
}

/** Byte offset just after the file's last newline, and how many lines come before it. */
async function endOfLastLine(
  handle: FileHandle,
  size: number
): Promise<{ offset: number; lines: number }> {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES)
  let position = 0
  let lines = 0
  let offset = 0
  while (position < size) {
    const { bytesRead } = await handle.read(
      buffer,
      0,
      Math.min(buffer.length, size - position),
      position
    )
    if (bytesRead === 0) break
    for (let i = 0; i < bytesRead; i++) {
      if (buffer[i] === 0x0a) {
        lines++
        offset = position + i + 1
      }
    }
    position += bytesRead
  }
  return { offset, lines }
}
