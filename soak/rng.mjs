// A small seeded PRNG (mulberry32) so a soak's schedule of churn, control changes and restarts
// can be replayed with --seed. Timing still depends on the machine, so runs are similar, not identical.

/** @param {number} seed any 32-bit integer */
export function createRng(seed) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    /** Uniform in [lo, hi). */
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    /** Integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    /** Log-uniform in [lo, hi): as many values between 5 and 10 as between 50 and 100. */
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * next()),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]
  }
}
