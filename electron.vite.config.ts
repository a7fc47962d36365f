import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The headless entry reuses the very same server and sampler under plain Node.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          headless: resolve(__dirname, 'src/main/headless/headless.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload must be a single CommonJS file.
      rollupOptions: {
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    build: { minify: true },
    // electron-vite has no --port; a test that runs `npm run dev` beside others names its own.
    server: process.env.BERNOULLI_DEV_PORT
      ? { port: Number(process.env.BERNOULLI_DEV_PORT), strictPort: true }
      : {},
    plugins: [
      svelte(),
      {
        // Vite injects <style> tags in dev only; the production page needs no inline style.
        name: 'dev-csp-inline-styles',
        apply: 'serve',
        transformIndexHtml: (html: string) =>
          html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      }
    ]
  }
})
