import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// The demo imports the SDK by its public names, resolved to the sources so edits
// in src/ show up at once. Exact-match regexes: 'tokenkeeper' must not swallow its subpaths.
export default defineConfig({
  root: fromHere('.'),
  appType: 'mpa',
  resolve: {
    alias: [
      { find: /^tokenkeeper\/react$/, replacement: fromHere('../../src/react.ts') },
      { find: /^tokenkeeper\/vue$/, replacement: fromHere('../../src/vue.ts') },
      { find: /^tokenkeeper\/ky$/, replacement: fromHere('../../src/ky.ts') },
      { find: /^tokenkeeper$/, replacement: fromHere('../../src/index.ts') },
    ],
  },
  // No @vitejs/plugin-react: Vite's own Oxc transform compiles TSX with the automatic runtime.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  define: {
    // demo/start.ts sets it to true when the auth server runs in test mode.
    __DEMO_TEST_MODE__: 'false',
    // Vue's esm-bundler build asks for its feature flags to be set explicitly.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  // Pre-bundled up front, so the first page load never triggers a "new dependency" reload.
  optimizeDeps: {
    entries: ['index.html', 'vue.html'],
    include: ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom/client', 'vue', 'jwt-decode'],
  },
  build: {
    rolldownOptions: { input: { main: fromHere('index.html'), vue: fromHere('vue.html') } },
  },
})
