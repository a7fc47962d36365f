// Turning what the raw readers recorded into numbers.
//
// Alignment: reference-dialect frames carry no sequence number, and readers start recording at
// slightly different points of the stream. Every reader gets the same sequence of values, so a
// reader's first frames (≥ MIN_MATCH of them) are looked up in a reference sequence: the JSON
// observer's (index = sequence number, with each sample's scheduled time) when there is one,
// else one reader's. The offset is accepted only if the whole overlap agrees, so a chance match
// is practically impossible. Aligned, frame j of reader r is broadcast j + offset[r].

const MIN_MATCH = 20
const LONG_MATCH = 48

/** Nearest-rank percentiles (q in 0..100) of a numeric array; NaN when empty. */
export function percentiles(values, qs) {
  const sorted = Float64Array.from(values).sort()
  return qs.map((q) =>
    sorted.length === 0
      ? NaN
      : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))]
  )
}

function valuesString(reader) {
  const n = Math.min(reader.n, reader.vals.length)
  return Buffer.from(reader.vals.buffer, reader.vals.byteOffset, n).toString('latin1')
}

function overlapAgrees(a, b, shift, minOverlap) {
  // b[j] should equal a[j + shift] wherever both exist.
  const from = Math.max(0, -shift)
  const to = Math.min(b.length, a.length - shift)
  if (to - from < minOverlap) return false
  for (let j = from; j < to; j++) if (b.charCodeAt(j) !== a.charCodeAt(j + shift)) return false
  return true
}

/**
 * Offset of `s` relative to `ref` (s[j] = ref[j + offset]), or null when there is none or it is
 * ambiguous. Long sequences: a 48-value head must match (a chance match has odds ~1e-11).
 * Short ones (slow streams): every shift with ≥ 20 values of overlap is tried, and the match
 * must be the only one.
 */
function findOffset(ref, s) {
  if (s.length >= 2 * LONG_MATCH && ref.length >= 2 * LONG_MATCH) {
    const head = s.slice(0, LONG_MATCH)
    for (let at = ref.indexOf(head); at >= 0; at = ref.indexOf(head, at + 1)) {
      if (overlapAgrees(ref, s, at, LONG_MATCH)) return at
    }
    const refHead = ref.slice(0, LONG_MATCH)
    for (let at = s.indexOf(refHead); at >= 0; at = s.indexOf(refHead, at + 1)) {
      if (overlapAgrees(ref, s, -at, LONG_MATCH)) return -at
    }
    return null
  }
  let found = null
  for (let shift = -(s.length - MIN_MATCH); shift <= ref.length - MIN_MATCH; shift++) {
    if (!overlapAgrees(ref, s, shift, MIN_MATCH)) continue
    if (found !== null) return null
    found = shift
  }
  return found
}

/**
 * Aligns readers. Returns { kind, offsets (Map reader → offset), unaligned, times? }.
 * Tries the JSON reference first and falls back to a reader when fewer than 90 % align with it.
 */
export function align(readers, jsonRef) {
  const candidates = readers.filter((r) => r.vals && r.n > 0)
  const strings = new Map(candidates.map((r) => [r, valuesString(r)]))
  const attempt = (ref) => {
    const offsets = new Map()
    for (const r of candidates) {
      const offset = findOffset(ref.str, strings.get(r))
      if (offset !== null) offsets.set(r, offset)
    }
    return offsets
  }
  if (jsonRef && jsonRef.str.length >= MIN_MATCH) {
    const offsets = attempt(jsonRef)
    if (offsets.size >= 0.9 * candidates.length) {
      return {
        kind: 'json',
        offsets,
        unaligned: readers.length - offsets.size,
        times: jsonRef.times
      }
    }
  }
  const refReader = candidates.filter((r) => !r.closed).sort((a, b) => b.n - a.n)[0]
  if (!refReader)
    return { kind: 'none', offsets: new Map(), unaligned: readers.length, times: null }
  const offsets = attempt({ str: strings.get(refReader) })
  return { kind: 'reader', offsets, unaligned: readers.length - offsets.size, times: null }
}

/** Arrival time (ms after the mark) of local frame j: the read that brought it. */
function arrivalOf(reader, j) {
  const ends = reader.evEnd
  let lo = 0
  let hi = reader.ne - 1
  if (hi < 0 || ends[hi] <= j) return NaN
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ends[mid] > j) hi = mid
    else lo = mid + 1
  }
  return reader.evT[lo]
}

/**
 * Fan-out, drops and latency from aligned readers.
 * @param readers RawReader[] that recorded
 * @param alignment result of align()
 * @param t0Epoch epoch ms of the mark (performance.timeOrigin + t0)
 * @param maxFanoutSamples broadcasts examined for fan-out
 * @param maxLatencySamples frames examined for latency
 */
export function analyseRaw(
  readers,
  alignment,
  { t0Epoch, maxFanoutSamples = 400, maxLatencySamples = 1_000_000 }
) {
  const { offsets, times } = alignment
  const aligned = [...offsets.keys()]
  if (aligned.length === 0)
    return {
      fanout: new Float64Array(0),
      latency: new Float64Array(0),
      missing: 0,
      broadcastsInWindow: 0
    }
  let lo = -Infinity
  let hiAll = Infinity
  let target = -Infinity
  for (const r of aligned) {
    const off = offsets.get(r)
    lo = Math.max(lo, off)
    if (!r.closed) hiAll = Math.min(hiAll, off + r.n)
    target = Math.max(target, off + (r.nEnd >= 0 ? r.nEnd : r.n))
  }
  // Frames missing: the latest broadcast any reader got within the window, which every reader
  // should have by the end of the grace period.
  let missing = 0
  for (const r of aligned) missing += Math.max(0, target - (offsets.get(r) + r.n))
  // Fan-out: broadcasts every open aligned reader received, started within the window.
  const open = aligned.filter((r) => !r.closed)
  const fanout = []
  const last = Math.min(hiAll, target)
  if (open.length > 1 && last > lo) {
    const step = Math.max(1, Math.floor((last - lo) / maxFanoutSamples))
    for (let g = lo; g < last; g += step) {
      let first = Infinity
      let latest = -Infinity
      for (const r of open) {
        const t = arrivalOf(r, g - offsets.get(r))
        if (t < first) first = t
        if (t > latest) latest = t
      }
      if (Number.isFinite(first) && Number.isFinite(latest)) fanout.push(latest - first)
    }
  }
  // Latency: arrival minus the sample's scheduled time, for every frame or a stride of them.
  let latency = new Float64Array(0)
  if (times) {
    let totalFrames = 0
    for (const r of aligned) totalFrames += r.n
    const stride = Math.max(1, Math.ceil(totalFrames / maxLatencySamples))
    const out = new Float64Array(Math.ceil(totalFrames / stride) + aligned.length)
    let k = 0
    for (const r of aligned) {
      const off = offsets.get(r)
      let j = 0
      for (let e = 0; e < r.ne; e++) {
        const end = r.evEnd[e]
        const arrival = t0Epoch + r.evT[e]
        for (; j < end; j++) {
          const g = j + off
          if (g % stride !== 0 || g >= times.length || k >= out.length) continue
          out[k++] = arrival - times[g]
        }
      }
    }
    latency = out.subarray(0, k)
  }
  return { fanout: Float64Array.from(fanout), latency, missing, broadcastsInWindow: target - lo }
}
