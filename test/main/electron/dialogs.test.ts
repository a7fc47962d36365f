import { describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  showMessageBox: vi.fn(async (_options: Record<string, unknown>) => ({
    response: 0,
    checkboxChecked: false
  })),
  showErrorBox: vi.fn(),
  getPath: vi.fn((_name: string) => '/nonexistent/bernoulli-stream-test/userData')
}))

vi.mock('electron', () => ({
  dialog: { showMessageBox: electron.showMessageBox, showErrorBox: electron.showErrorBox },
  app: { getPath: electron.getPath }
}))

const { askPortConflict, showStartupError } = await import('../../../src/main/electron/dialogs')
const { createUserSettingsStore, SETTINGS_FILE_NAME } =
  await import('../../../src/main/electron/settings-file')

describe('askPortConflict', () => {
  it('asks with the prompt and maps the clicked button to a choice', async () => {
    electron.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false })
    await expect(askPortConflict(8888)).resolves.toBe('use-free-port')
    expect(electron.showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({
        message: expect.stringContaining('8888'),
        buttons: ['Use a free port', 'Try again', 'Quit']
      })
    )
    electron.showMessageBox.mockResolvedValueOnce({ response: 2, checkboxChecked: false })
    await expect(askPortConflict(8888)).resolves.toBe('quit')
  })
})

describe('showStartupError', () => {
  it('shows an error box', () => {
    showStartupError('E_LISTEN_FAILED: permission denied')
    expect(electron.showErrorBox).toHaveBeenCalledWith(
      expect.any(String),
      'E_LISTEN_FAILED: permission denied'
    )
  })
})

describe('createUserSettingsStore', () => {
  it("keeps the settings in Electron's userData directory", async () => {
    const store = createUserSettingsStore()
    expect(electron.getPath).toHaveBeenCalledWith('userData')
    expect(SETTINGS_FILE_NAME).toBe('settings.json')
    // The directory does not exist here, so loading gives the defaults without touching it.
    await expect(store.load()).resolves.toMatchObject({ problems: [] })
  })
})
