import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev:web` proxies the API to a service already running on TESSERA_URL (default :3000),
// so the portal is developed same-origin, as it is served in production.
const service = process.env.TESSERA_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/graphql', '/v1', '/health', '/ready', '/openapi.json', '/docs', '/_assets', '/get-online-features'];

export default defineConfig({
  plugins: [react()],
  // The service's GraphiQL keeps React 18 at the repository root; every import of React here must be web/'s React 19.
  resolve: { dedupe: ['react', 'react-dom', 'react/jsx-runtime'] },
  // Vite's own folder for built files; /_assets is taken by the developer pages.
  build: { outDir: 'dist', assetsDir: 'portal-assets', emptyOutDir: true, chunkSizeWarningLimit: 1700 },
  server: { proxy: Object.fromEntries(proxied.map((path) => [path, { target: service, changeOrigin: false }])) },
});
