import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },
  {
    // Shared modules are pure: nothing from Electron, the DOM's globals aside, or Node.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['electron', 'node:*', 'ws'], message: 'src/shared must stay pure.' }]
        }
      ]
    }
  },
  {
    // Only the sampler and server never touch Electron; the glue files are named.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only src/main/index.ts and src/main/electron/ import electron.'
            }
          ]
        }
      ]
    }
  },
  {
    // ipcMain / ipcRenderer live in the two IPC helper files only.
    files: ['src/**/*.ts'],
    ignores: ['src/main/electron/ipc-handlers.ts', 'src/preload/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='ipcMain']", message: 'Use the typed IPC helpers.' },
        { selector: "Identifier[name='ipcRenderer']", message: 'Use the typed IPC helpers.' }
      ]
    }
  }
)
