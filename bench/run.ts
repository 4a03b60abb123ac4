import { benchFetch } from './fetch.bench.ts'
import { benchRefreshCalls } from './refresh.bench.ts'
import { adapterSize, gzipSize } from './size.bench.ts'

const fmt = (n: number, digits = 2) => n.toFixed(digits)
const rows: string[] = []
const row = (...cells: (string | number)[]) => rows.push(`| ${cells.join(' | ')} |`)

const cost = await benchFetch()
const bare = cost['bare stub fetch']
const handAdded = cost['hand wrapper'] - bare
const authAdded = cost['auth.fetch'] - bare
row('measure', 'value', 'target')
row('---', '---', '---')
for (const [name, ns] of Object.entries(cost)) row(`per request: ${name}`, `${fmt(ns * 1e6, 0)} ns`, '')
row('auth.fetch added cost ÷ hand wrapper added cost', fmt(authAdded / handAdded), '≤ 1.5')
row('auth.fetch throughput ÷ ky-hook throughput', fmt(cost['ky + beforeRequest hook'] / cost['auth.fetch']), '≥ 10')
for (const n of [1, 10, 1000])
  row(`refresh calls for ${n} concurrent requests on an expired token`, await benchRefreshCalls(n), '1')
row('dist/index.js min+gzip, jwt-decode included', `${await gzipSize('dist/index.js')} B`, '≤ 3072 B')
row('dist/ky.js min+gzip, without ky', `${await adapterSize('dist/ky.js')} B`, '≤ 300 B')
row('dist/react.js min+gzip, without React and the core', `${await adapterSize('dist/react.js')} B`, '≤ 1024 B')
row('dist/vue.js min+gzip, without Vue and the core', `${await adapterSize('dist/vue.js')} B`, '≤ 1024 B')
console.log(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`)
console.log(rows.join('\n'))
