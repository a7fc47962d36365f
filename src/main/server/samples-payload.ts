/**
 * The JSON text of a `samples` message (see `SamplesMessage`).
 * Built by hand: it runs for every batch, up to 1000 times a second, and its shape is fixed.
 */
export function samplesPayload(
  seq: number,
  values: ArrayLike<0 | 1>,
  timesMs: ArrayLike<number>
): string {
  return `{"type":"samples","seq":${seq},"values":[${Array.prototype.join.call(values, ',')}],"times":[${Array.prototype.join.call(timesMs, ',')}]}`
}
