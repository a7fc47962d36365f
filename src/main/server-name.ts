import packageJson from '../../package.json' with { type: 'json' }

/** `bernoulli-stream/<version>`, sent in every greeting and status document. */
export const SERVER_NAME = `bernoulli-stream/${packageJson.version}`
