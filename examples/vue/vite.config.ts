import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// In development the app and the auth server must look like ONE origin to the
// browser: the refresh cookie is SameSite=Strict, Path=/. Vite forwards /auth and
// /api to the server (AUTH_SERVER, default: `npm run server` at the repository root, on 5174),
// so the cookie is set for the page's own origin. In production a reverse proxy
// does the same (see the README's "Deploying").
const target = process.env.AUTH_SERVER ?? 'http://127.0.0.1:5174'

export default defineConfig({
  plugins: [vue()],
  server: { proxy: { '/auth': target, '/api': target } },
})
