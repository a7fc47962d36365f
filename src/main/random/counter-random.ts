/**
 * Counter-based random numbers (Philox2x32-10, Salmon et al., "Parallel Random Numbers: As Easy
 * as 1, 2, 3", SC'11): the uniform number for counter n under key k is a pure function of (k, n).
 *
 * Why counter-based rather than a stateful generator: the value of sample n must depend only on
 * the seed and n (and the p it is drawn with), never on how many numbers something else took
 * before it. So a reseed at any moment, a restart, a stall that skips samples, a random walk of p
 * or a connection's faults can never shift the stream: each of them draws from its own
 * {@link RandomDomain} with its own counters, and nothing is consumed.
 */

import { checkSeed, MAX_SEED } from '../../shared/sampler-settings'

export { MAX_SEED }

/**
 * Independent streams under one key. The domain sits in the counter's top bits, so two domains
 * never share a counter value whatever n is (n < 2^53).
 */
export const RandomDomain = {
  Samples: 0,
  ScenarioWalk: 1,
  FaultDrop: 2,
  FaultDuplicate: 3,
  FaultDelay: 4
} as const
export type RandomDomain = (typeof RandomDomain)[keyof typeof RandomDomain]

const PHILOX_M_LOW = 0xd193
const PHILOX_M_HIGH = 0xd256
const PHILOX_M = 0xd256_d193
const PHILOX_W = 0x9e37_79b9
const ROUNDS = 10
const TWO_POW_21 = 2 ** 21
const TWO_POW_32 = 2 ** 32
const TWO_POW_26 = 2 ** 26
const TWO_POW_53 = 2 ** 53

// Output of the last block; reused so the per-sample path allocates nothing.
const block = new Uint32Array(2)

function philoxBlock(c0: number, c1: number, key: number): void {
  let x0 = c0 >>> 0
  let x1 = c1 >>> 0
  let k = key >>> 0
  for (let round = 0; round < ROUNDS; round++) {
    // (hi, lo) = M · x0 as a 64-bit product, from 16-bit halves: every partial sum stays below
    // 2^34, exact in a double, and each one fed to >>> is below 2^32.
    const aL = x0 & 0xffff
    const aH = x0 >>> 16
    const lh = aL * PHILOX_M_HIGH
    const hl = aH * PHILOX_M_LOW
    const mid = ((aL * PHILOX_M_LOW) >>> 16) + (lh & 0xffff) + (hl & 0xffff)
    const hi = (aH * PHILOX_M_HIGH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0
    const lo = Math.imul(x0, PHILOX_M) >>> 0
    x0 = (hi ^ k ^ x1) >>> 0
    x1 = lo
    k = (k + PHILOX_W) >>> 0
  }
  block[0] = x0
  block[1] = x1
}

/**
 * One Philox2x32-10 block: the 64-bit output for a 64-bit counter `(c0, c1)` and a 32-bit key.
 * Exported for the known-answer test against the reference vectors.
 * @returns the two output words, unsigned 32-bit.
 */
export function philox2x32(c0: number, c1: number, key: number): [number, number] {
  philoxBlock(c0, c1, key)
  return [block[0]!, block[1]!]
}

/**
 * The uniform number in [0, 1) (53 random bits) for counter `n` of `domain` under `seed`.
 * @param seed integer in [1, {@link MAX_SEED}] (not checked here: this runs per sample).
 * @param n integer in [0, 2^53).
 */
export function counterUniform(seed: number, n: number, domain: RandomDomain): number {
  const low = n % TWO_POW_32
  const high = (n - low) / TWO_POW_32
  philoxBlock(low, high + domain * TWO_POW_21, seed)
  return ((block[0]! >>> 5) * TWO_POW_26 + (block[1]! >>> 6)) / TWO_POW_53
}

/**
 * The Bernoulli(p) value of sample `seq` under `seed`: 1 when its uniform number is below p.
 * With one seed, the same sequence number always gives the same uniform number, so raising p
 * can only turn 0s into 1s: runs that differ only in p are coupled, sample by sample.
 */
export function bernoulliAt(seed: number, seq: number, p: number): 0 | 1 {
  return counterUniform(seed, seq, RandomDomain.Samples) < p ? 1 : 0
}

/** Whether `value` is a valid seed: an integer in [1, {@link MAX_SEED}]. */
export function isSeed(value: unknown): value is number {
  return checkSeed(value).ok
}

/**
 * A seed for a run that was given none, from `uniform` (default `Math.random`), so every run can
 * be reproduced afterwards from the seed it shows.
 */
export function randomSeed(uniform: () => number = Math.random): number {
  return 1 + Math.floor(uniform() * MAX_SEED)
}
