import { describe, expect, it } from 'vitest'
import { invocationDir } from '../../../src/main/command-line/invocation-dir'

describe('invocationDir', () => {
  it('is the folder npm was started in for one of our scripts', () => {
    const env = { npm_lifecycle_event: 'serve', INIT_CWD: '/home/u/project/examples' }
    expect(invocationDir(env, '/home/u/project', ['serve'])).toBe('/home/u/project/examples')
  })

  it('keeps the working folder for any other npm script (a test spawning the server) or none', () => {
    const inherited = { npm_lifecycle_event: 'test:unit', INIT_CWD: '/home/u/project' }
    expect(invocationDir(inherited, '/tmp/run', ['serve'])).toBe('/tmp/run')
    expect(invocationDir({ INIT_CWD: '/home/u/project' }, '/tmp/run', ['serve'])).toBe('/tmp/run')
    expect(invocationDir({}, '/tmp/run', ['serve'])).toBe('/tmp/run')
  })

  it('keeps the working folder when npm left INIT_CWD unset or empty', () => {
    expect(invocationDir({ npm_lifecycle_event: 'serve' }, '/p', ['serve'])).toBe('/p')
    expect(invocationDir({ npm_lifecycle_event: 'serve', INIT_CWD: '' }, '/p', ['serve'])).toBe(
      '/p'
    )
  })
})
