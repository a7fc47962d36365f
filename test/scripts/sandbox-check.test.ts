import { describe, expect, it } from 'vitest'
import { userNamespaceAdvice } from '../../scripts/electron-install/sandbox-check.mjs'

const helperPath = '/p/node_modules/electron/dist/chrome-sandbox'
const base = { platform: 'linux', restriction: '1\n', helperPath }

describe('userNamespaceAdvice', () => {
  it('advises, in one sentence, when AppArmor restricts user namespaces and the helper is not setuid root', () => {
    for (const helper of [null, { uid: 1000, mode: 0o100755 }, { uid: 0, mode: 0o100755 }]) {
      const advice = userNamespaceAdvice({ ...base, helper })
      expect(advice).toContain(
        `sudo chown root:root '${helperPath}' && sudo chmod 4755 '${helperPath}'`
      )
      expect(advice).toContain('AppArmor profile')
      expect(advice?.split(/(?<=\.)\s/)).toHaveLength(1)
      expect(advice).not.toMatch(/no-sandbox/)
    }
  })

  it('is silent when the sandbox can start', () => {
    expect(userNamespaceAdvice({ ...base, helper: { uid: 0, mode: 0o104755 } })).toBeNull()
    expect(userNamespaceAdvice({ ...base, restriction: '0\n', helper: null })).toBeNull()
    expect(userNamespaceAdvice({ ...base, restriction: null, helper: null })).toBeNull()
    expect(userNamespaceAdvice({ ...base, platform: 'darwin', helper: null })).toBeNull()
  })

  it('quotes a path with spaces and quotes for the shell', () => {
    const advice = userNamespaceAdvice({
      ...base,
      helper: null,
      helperPath: "/my app/it's/chrome-sandbox"
    })
    expect(advice).toContain(`'/my app/it'\\''s/chrome-sandbox'`)
  })
})
