// Posterior summary cost per update (issue target: ≤ 1 ms for α, β up to 1e9): mean, MAP, 95 %
// interval, P(p > 0.5), and a 200-point density curve, as the renderer computes once per frame.
// Run by `npm run bench` (vitest bench); results land in BENCHMARKS.md.
import { bench, describe } from 'vitest'
import { betaDensityCurve } from '../src/shared/posterior/beta-density'
import { summarizeBeta } from '../src/shared/posterior/beta-summary'

const CASES: Array<[string, number, number]> = [
  ['Beta(2, 2)', 2, 2],
  ['Beta(722, 282)', 722, 282],
  ['Beta(720002, 280002)', 720_002, 280_002],
  ['Beta(7.2e8, 2.8e8)', 7.2e8, 2.8e8],
  ['Beta(5e8, 5e8)', 5e8, 5e8],
  ['Beta(1, 1e9)', 1, 1e9]
]

describe('posterior summary + 200-point density', () => {
  for (const [name, alpha, beta] of CASES) {
    bench(
      name,
      () => {
        summarizeBeta(alpha, beta)
        betaDensityCurve(alpha, beta)
      },
      { time: Number(process.env.BENCH_TIME_MS ?? 1000) }
    )
  }
})
