import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { compression } from 'vite-plugin-compression2';

const backend = process.env.VIADUC_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    svelte(),
    // Brotli and gzip copies (`x.js.br`, `x.js.gz`) next to every text file, made once here at
    // the highest levels, so the server only picks one (backend/src/web.rs). A copy that does
    // not come out smaller than its original is not written.
    compression({
      include: /\.(html|css|js|mjs|json|svg|txt|xml|webmanifest)$/,
      algorithms: ['brotliCompress', 'gzip'],
      skipIfLargerOrEqual: true,
    }),
  ],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/ws': { target: backend, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
