import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The web shell: a single-page app that Fastify serves from dist/web. Everything it needs is in the bundle —
 * no CDNs, web fonts or analytics (152-ФЗ and 23-ФЗ: personal data goes to no foreign service).
 */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: path.join(here, 'public'),
  // Vite 8 transforms TSX with Oxc; the automatic runtime matches tsconfig's "jsx": "react-jsx".
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Keep every asset a file: the server's CSP allows data: images but nothing else inline.
    assetsInlineLimit: 0,
    // ECharts (~560 kB) is one lazy chunk loaded only by the analytics pages; the main bundle stays small.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      onwarn(warning, warn) {
        // TanStack Query marks its hooks "use client" for React Server Components; a client-only bundle can ignore it.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite --config src/web/vite.config.ts` during development, with the API on :3000.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
