/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// FLOWRUNTIME_API=http://127.0.0.1:5199 points the dev server at `npm run mock` instead of the host.
const backend = process.env.FLOWRUNTIME_API ?? 'http://127.0.0.1:5080';

export default defineConfig({
  plugins: [react()],
  build: {
    // The ASP.NET host serves this folder at "/" with an SPA fallback to index.html.
    outDir: '../runtime/FlowRuntime.Host/wwwroot',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': backend,
      '/oauth': backend,
      '/health': backend,
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
