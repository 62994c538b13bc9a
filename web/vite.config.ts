import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// The dashboard builds into dist/web, which Core serves at / (WEB_DIR). `npm run web:dev` serves it
// with hot reload and hands /api to a Core on port 3000 (add http://localhost:5173 to its TRUSTED_ORIGINS).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Brotli and gzip copies of the scripts and styles, made once at build time; Core sends the one the
  // browser accepts (a phone on mobile data downloads ~95 KB instead of ~340 KB on first visit).
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|svg)$/, threshold: 1024, logLevel: 'silent' })],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Chart.js only loads with the statistics page; the warning's 500 kB is about one chunk, not the app.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
