// Size budgets: the bytes each entry point adds to a user's production bundle.
// A "page" is dist/ bundled as an app's bundler would for production (NODE_ENV
// defined as 'production', so development warnings drop out), minified and gzipped,
// with jwt-decode bundled in and the peers (ky, React, Vue) left out: the app pays
// for those anyway. An adapter's cost is what it adds to a page that already has
// the core, so code it shares with the core is not counted twice.
// Prints a table; exits 1 when an entry is over its budget or dist/ is missing.
import { build } from 'rolldown'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const DIST = resolve(import.meta.dirname, '../dist')
const PEERS = [/^ky($|\/)/, /^react($|\/)/, /^react-dom($|\/)/, /^vue($|\/)/]
const PAGE = '\0size-page'

type Entry = 'index' | 'ky' | 'react' | 'vue'

interface Budget {
  name: string
  /** Bytes of a page importing `entries`, less those of a page importing `baseline`. */
  entries: Entry[]
  baseline: Entry[]
  limit: number
}

export const BUDGETS: Budget[] = [
  { name: 'tokenkeeper (core, jwt-decode included)', entries: ['index'], baseline: [], limit: 4096 },
  { name: 'tokenkeeper/ky added to the core, without ky', entries: ['index', 'ky'], baseline: ['index'], limit: 300 },
  {
    name: 'tokenkeeper/react added to the core, without React',
    entries: ['index', 'react'],
    baseline: ['index'],
    limit: 1024,
  },
  {
    name: 'tokenkeeper/vue added to the core, without Vue',
    entries: ['index', 'vue'],
    baseline: ['index'],
    limit: 1024,
  },
]

/** min+gzip bytes of one production bundle that re-exports everything of `entries`. */
export async function pageSize(entries: Entry[]): Promise<number> {
  if (entries.length === 0) return 0
  const source = entries.map((entry) => `export * from ${JSON.stringify(`${DIST}/${entry}.js`)}`).join('\n')
  const { output } = await build({
    input: PAGE,
    write: false,
    external: PEERS,
    transform: { define: { 'process.env.NODE_ENV': '"production"' } },
    plugins: [
      {
        name: 'size-page',
        resolveId: (id) => (id === PAGE ? id : null),
        load: (id) => (id === PAGE ? source : null),
      },
    ],
    // 'use client' stays a directive for the app's bundler; nothing to report here.
    onLog: (level, log, report) => log.code !== 'MODULE_LEVEL_DIRECTIVE' && report(level, log),
    output: { format: 'es', minify: true, codeSplitting: false },
  })
  const code = output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n')
  return gzipSync(code, { level: 9 }).length
}

export async function measureBudgets(): Promise<{ name: string; bytes: number; limit: number }[]> {
  return Promise.all(
    BUDGETS.map(async ({ name, entries, baseline, limit }) => ({
      name,
      bytes: (await pageSize(entries)) - (await pageSize(baseline)),
      limit,
    })),
  )
}

if (import.meta.main) {
  if (!existsSync(`${DIST}/index.js`)) {
    console.error('scripts/size.ts measures dist/: run `npm run build` first.')
    process.exit(1)
  }
  const rows = await measureBudgets()
  const width = Math.max(...rows.map((row) => row.name.length))
  console.log(`${'entry'.padEnd(width)} | min+gzip | budget  | ok`)
  console.log(`${'-'.repeat(width)} | -------- | ------- | --`)
  for (const { name, bytes, limit } of rows) {
    const verdict = bytes <= limit ? 'ok' : `OVER by ${bytes - limit} B`
    console.log(`${name.padEnd(width)} | ${`${bytes} B`.padStart(8)} | ${`${limit} B`.padStart(7)} | ${verdict}`)
  }
  const over = rows.filter((row) => row.bytes > row.limit)
  if (over.length > 0) {
    console.error(`size: ${over.length} entr${over.length === 1 ? 'y is' : 'ies are'} over budget`)
    process.exit(1)
  }
}
