import { open, type FileHandle } from 'node:fs/promises'
import type { Clock } from '../../shared/clock'
import {
  encodeHeader,
  encodeSamples,
  type RecordingFormat,
  type RecordingHeader
} from '../../shared/recording/recording-format'

/** Default time a sample waits in memory before it is handed to the operating system, in ms. */
export const DEFAULT_RECORDING_FLUSH_MS = 100
/** Unwritten text past which a flush starts at once, in bytes (64 KiB). */
export const RECORDING_FLUSH_BYTES = 64 * 1024
/** Longest time between two fdatasync calls while recording, in ms. */
export const RECORDING_SYNC_MS = 1000

/** Options of {@link RecordingWriter.create}. */
export interface RecordingWriterOptions {
  path: string
  format: RecordingFormat
  header: RecordingHeader
  clock: Clock
  /** Default {@link DEFAULT_RECORDING_FLUSH_MS}. */
  flushMs?: number
  /**
   * Replace an existing file. Default false: a recording never overwrites, so a rerun of a
   * command cannot lose one; only a person who confirmed the replacement (a save dialog) sets it.
   */
  replace?: boolean
  /** Called once if writing fails (a full disk, a removed drive); recording then stops. */
  onError: (error: Error) => void
}

/**
 * Appends samples to a recording file as they are drawn. Each flush writes whole lines in one
 * write, in order, one write at a time, so a crash (even SIGKILL) loses at most what was not yet
 * flushed and leaves a file that is valid up to its last complete line (a write cut short by the
 * kill can leave one partial last line, which the reader ignores). Data is also fdatasync'ed at
 * most every second and on close, for power loss.
 *
 * Never overwrites unless told to (`replace`): by default the file must not exist, so a
 * recording is never lost to a rerun.
 */
export class RecordingWriter {
  readonly path: string
  readonly format: RecordingFormat
  readonly #handle: FileHandle
  readonly #clock: Clock
  readonly #flushMs: number
  readonly #onError: (error: Error) => void
  #pending = ''
  #pendingSamples = 0
  #timer: unknown = null
  #writing: Promise<void> = Promise.resolve()
  #lastSyncMs: number
  #failed = false
  #closing: Promise<void> | null = null
  #samplesAppended = 0
  #samplesWritten = 0

  private constructor(handle: FileHandle, options: RecordingWriterOptions) {
    this.path = options.path
    this.format = options.format
    this.#handle = handle
    this.#clock = options.clock
    this.#flushMs = options.flushMs ?? DEFAULT_RECORDING_FLUSH_MS
    this.#onError = options.onError
    this.#lastSyncMs = options.clock.monotonicMs()
    if (!(this.#flushMs > 0)) throw new RangeError('flushMs must be positive')
  }

  /**
   * Creates the file and writes its header. Rejects with a message naming the file when it
   * exists or cannot be created.
   */
  static async create(options: RecordingWriterOptions): Promise<RecordingWriter> {
    let handle: FileHandle
    try {
      handle = await open(options.path, options.replace ? 'w' : 'wx')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const why =
        code === 'EEXIST'
          ? 'already exists (recordings never overwrite: pick a new name or delete it)'
          : code === 'ENOENT'
            ? 'cannot be created: its directory does not exist'
            : `cannot be created (${code ?? (error as Error).message})`
      throw new Error(`${options.path} ${why}`, { cause: error })
    }
    try {
      await writeAll(handle, Buffer.from(encodeHeader(options.format, options.header)))
    } catch (error) {
      await handle.close().catch(() => undefined)
      throw new Error(`${options.path}: cannot write the header (${(error as Error).message})`, {
        cause: error
      })
    }
    return new RecordingWriter(handle, options)
  }

  /** Samples handed to {@link append} so far. */
  get samplesAppended(): number {
    return this.#samplesAppended
  }

  /** Samples the operating system has accepted (written, not necessarily synced). */
  get samplesWritten(): number {
    return this.#samplesWritten
  }

  /** Whether writing failed and recording stopped. */
  get failed(): boolean {
    return this.#failed
  }

  /**
   * Queues consecutive samples `firstSeq…`, all drawn with `p` (null: not drawn by the sampler).
   * Ignored after close or failure.
   */
  append(
    firstSeq: number,
    values: ArrayLike<0 | 1>,
    timesMs: ArrayLike<number>,
    p: number | null
  ): void {
    if (this.#closing || this.#failed || values.length === 0) return
    this.#pending += encodeSamples(this.format, firstSeq, values, timesMs, p)
    this.#pendingSamples += values.length
    this.#samplesAppended += values.length
    if (this.#pending.length >= RECORDING_FLUSH_BYTES) this.#flush()
    else this.#timer ??= this.#clock.setTimer(this.#flush, this.#flushMs)
  }

  /** Writes what is queued, syncs and closes the file. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#flush()
      await this.#writing
      if (!this.#failed) await this.#handle.datasync().catch(() => undefined)
      await this.#handle.close().catch(() => undefined)
    })()
    return this.#closing
  }

  #flush = (): void => {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer)
    this.#timer = null
    if (this.#pending === '' || this.#failed) return
    const text = this.#pending
    const count = this.#pendingSamples
    this.#pending = ''
    this.#pendingSamples = 0
    this.#writing = this.#writing.then(async () => {
      if (this.#failed) return
      try {
        await writeAll(this.#handle, Buffer.from(text))
        this.#samplesWritten += count
        const now = this.#clock.monotonicMs()
        if (now - this.#lastSyncMs >= RECORDING_SYNC_MS) {
          this.#lastSyncMs = now
          await this.#handle.datasync()
        }
      } catch (error) {
        this.#failed = true
        this.#onError(
          new Error(`recording to ${this.path} stopped: ${(error as Error).message}`, {
            cause: error
          })
        )
      }
    })
  }
}

// A write to a regular file may be short (a signal, a nearly full disk): go on until all is out.
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset)
    if (bytesWritten === 0) throw new Error('the disk accepted no more bytes')
    offset += bytesWritten
  }
}
