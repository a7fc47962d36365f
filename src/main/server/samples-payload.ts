import type { SampleBatch } from '../sampler/sample-source'

/**
 * The JSON text of a `samples` message (see `SamplesMessage`).
 * Built by hand: it runs for every batch, up to 1000 times a second, and its shape is fixed.
 */
export function samplesPayload({ firstSeq, values, timesMs }: SampleBatch): string {
  return `{"type":"samples","seq":${firstSeq},"values":[${values.join(',')}],"times":[${timesMs.join(',')}]}`
}
