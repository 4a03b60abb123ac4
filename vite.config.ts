import { defineConfig } from 'vitest/config'

// One library build for all four entry points, so they share one core chunk
// (an AuthError thrown by the core is `instanceof AuthError` in /react too).
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        ky: 'src/ky.ts',
        react: 'src/react.ts',
        vue: 'src/vue.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      // 'use client' at the top of react.ts is kept in dist/react.js on purpose.
      onLog: (level, log, report) => log.code !== 'MODULE_LEVEL_DIRECTIVE' && report(level, log),
      external: [/^jwt-decode$/, /^ky($|\/)/, /^react($|\/)/, /^react-dom($|\/)/, /^vue($|\/)/],
    },
  },
  test: {
    // `npm run test:coverage` (run by .ci/run): v8 coverage of src/ under the unit and
    // integration tests, failing below these floors (the level reached, rounded down).
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      reporter: ['text-summary', 'text'],
      reportOnFailure: true,
      thresholds: { statements: 98, branches: 96, functions: 97, lines: 99 },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'https://app.test/' } },
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
