/** Beta-Binomial posterior maths: pure functions, no Electron, DOM or Node imports. */
export * from './beta-posterior'
export * from './beta-summary'
export * from './beta-density'
export * from './posterior-memory'
