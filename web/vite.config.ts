// Vite builds the app into dist/, which the Chimera service serves at `/`.
// `npm run dev` serves it with hot reload and forwards the API to a running service
// (CHIMERA_API, default http://127.0.0.1:8080: what `chimera dev` listens on).
import { defineConfig } from 'vite';

const api = process.env.CHIMERA_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api, changeOrigin: false },
    },
  },
});
