import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard: Preact through Vite's own JSX transform (Oxc), no Babel
// preset; everything bundled locally — the machines it runs on have no CDN.
export default defineConfig({
  root: fileURLToPath(new URL('./src/dashboard', import.meta.url)),
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 300,
  },
  logLevel: 'warn',
});
