import type { SampleBatch } from '../sampler/sample-source'

/**
 * The JSON text of a `samples` message (see `SamplesMessage`).
 * Built by hand: it runs for every batch, up to 1000 times a second, and its shape is fixed.
 */
export function samplesPayload({ firstSeq, values, timesMs }: SampleBatch): string {
  return `{"type":"samples","seq":${firstSeq},"values":[${values.join(',')}],"times":[${timesMs.join(',')}]}`
}

/** Samples `start…end − 1` (indices into the batch) of a batch, as a batch of their own. */
export function sliceBatch(batch: SampleBatch, start: number, end: number): SampleBatch {
  return {
    firstSeq: batch.firstSeq + start,
    values: batch.values.slice(start, end),
    timesMs: batch.timesMs.slice(start, end)
  }
}
