/** Where the samples come from, in words, for the raw strip and the stream controls. */
import type { StreamSource } from '../../../shared/protocol/messages'

/** The last part of a path, whichever separator the server's system uses. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path
}

/** E.g. "sampler", "replay of run.csv at 10× its pace", "following live.txt". */
export function describeSource(source: StreamSource): string {
  switch (source.kind) {
    case 'sampler':
      return 'sampler'
    case 'replay':
      return `replay of ${fileName(source.file)}${source.speed === 1 ? '' : ` at ${source.speed}× its pace`}`
    case 'follow':
      return `following ${fileName(source.file)}`
  }
}
