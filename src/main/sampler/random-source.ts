import mt19937 from '@stdlib/random-base-mt19937'

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number

/**
 * Returns a uniform generator: a Mersenne Twister seeded with `seed` for reproducible streams,
 * or `Math.random` when no seed is given.
 * @param seed integer in [1, 2^32 − 1]; throws a RangeError otherwise.
 */
export function createRandomSource(seed?: number): RandomSource {
  if (seed === undefined) return Math.random
  if (!Number.isInteger(seed) || seed < 1 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer from 1 to 4294967295, got ${seed}`)
  }
  const nextUint32 = mt19937.factory({ seed })
  // 2^32 outcomes mapped to [0, 1): fine-grained enough for any p a person can type.
  return () => nextUint32() / 4_294_967_296
}
