// `npm run bench` (after a build): every measured promise of the README in one table.
// Per-request costs are the CPU time of the thread that runs the paths (the machine is
// shared: wall time also counts other processes), compared within a run; each run is its
// own process (Node) or browser launch (Chromium), reported as median [min–max] over
// the runs. Start-up is wall time in the page. Counts and bytes are exact.
// BENCH_RUNS (default 5), BENCH_ROUNDS (15 shuffled rounds per run) and BENCH_LOADS
// (5 page loads per start-up run) trade time for spread.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { promisify } from 'node:util'
import { chromium } from 'playwright-core'
import { measureBudgets } from '../scripts/size.ts'
import { makeToken } from '../test/helpers/make-jwt.ts'
import { CHROMIUM_PATH } from '../test/e2e/helpers/browser.ts'
import { perRequestInChromium, startBenchServer, startupInChromium, type StartupRun } from './browser.ts'
import { median, type PathName, type PerRequestResult } from './per-request.ts'
import { benchRefreshCalls } from './refresh-calls.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const LOADS = Number(process.env.BENCH_LOADS ?? 5)

const rows: string[][] = [['measure', 'median [min–max]', 'target', 'met']]
const row = (measure: string, value: string, target = '', met?: boolean) =>
  rows.push([measure, value, target, met === undefined ? '' : met ? 'ok' : 'MISSED'])

/** "median [min–max]" of the values. */
function spread(values: number[], digits = 2, unit = ''): string {
  const f = (n: number) => n.toFixed(digits)
  return `${f(median(values))} [${f(Math.min(...values))}–${f(Math.max(...values))}]${unit}`
}

async function nodeRun(token: string): Promise<PerRequestResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', 'bench/node-per-request.ts', token, String(ROUNDS)],
    { env: { ...process.env, NODE_ENV: 'production' } },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PerRequestResult
}

function perRequestRows(where: string, runs: PerRequestResult[]) {
  const ratios = runs.map((run) => run.authOverHand)
  const kyRatios = runs.map((run) => run.createKyOverHook)
  const ns = (path: PathName) => runs.map((run) => run.ns[path])
  const added = (path: PathName) => runs.map((run) => run.ns[path] - run.ns['bare stub fetch'])
  row(
    `${where}: auth.fetch added cost ÷ hand wrapper added cost (CPU time)`,
    spread(ratios),
    '≤ 1.5',
    median(ratios) <= 1.5,
  )
  row(`${where}: the same in wall-clock time (cross-check)`, spread(runs.map((run) => run.authOverHandWall)))
  row(`${where}: createKy ÷ ky + beforeRequest hook (CPU time)`, spread(kyRatios), '≤ 1.1', median(kyRatios) <= 1.1)
  row(`${where}: bare stub fetch, CPU per request`, spread(ns('bare stub fetch'), 0, ' ns'))
  row(`${where}: hand wrapper added, CPU per request`, spread(added('hand wrapper'), 0, ' ns'))
  row(`${where}: auth.fetch added, CPU per request`, spread(added('auth.fetch'), 0, ' ns'))
  row(`${where}: ky + beforeRequest hook, CPU per request`, spread(ns('ky + beforeRequest hook'), 0, ' ns'))
}

function startupRows(runs: StartupRun[]) {
  const alone = runs.flatMap((run) => run.alone)
  const sent = alone.map((load) => load.refreshAfterMs ?? NaN)
  row(
    'Chromium: start-up, only tab: restore() called → refresh request sent',
    spread(sent, 1, ' ms'),
    '≤ 10 ms',
    median(sent) <= 10,
  )
  row(
    'Chromium: start-up, only tab: restore() called → settled',
    spread(
      alone.map((load) => load.settledAfterMs),
      1,
      ' ms',
    ),
  )
  row(
    'Chromium: start-up, only tab: a navigator.locks.query() issued with it (the floor)',
    spread(
      alone.map((load) => load.lockQueryMs),
      1,
      ' ms',
    ),
  )
  const beside = runs.map((run) => run.beside)
  const refreshes = beside.map((tab) => Math.max(tab.refreshes, tab.serverRefreshes))
  row(
    'Chromium: start-up, new tab beside an open one: refresh requests',
    refreshes.join(', '),
    '0',
    refreshes.every((n) => n === 0),
  )
  row(
    'Chromium: start-up, new tab beside an open one: restore() settled',
    spread(
      beside.map((tab) => tab.settledAfterMs),
      1,
      ' ms',
    ),
  )
}

const token = makeToken(3600)
const nodeRuns: PerRequestResult[] = []
for (let i = 0; i < RUNS; i++) nodeRuns.push(await nodeRun(token))
perRequestRows('Node', nodeRuns)

let browserVersion = 'no Chromium at ' + CHROMIUM_PATH
if (existsSync(CHROMIUM_PATH)) {
  const server = await startBenchServer()
  try {
    const browserRuns: PerRequestResult[] = []
    for (let i = 0; i < RUNS; i++) browserRuns.push(await perRequestInChromium(server, token, ROUNDS))
    perRequestRows('Chromium', browserRuns)
    const startupRuns: StartupRun[] = []
    for (let i = 0; i < RUNS; i++) startupRuns.push(await startupInChromium(server, LOADS))
    startupRows(startupRuns)
  } finally {
    await server.close()
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] })
  browserVersion = `Chromium ${browser.version()}`
  await browser.close()
}

for (const n of [1, 10, 1000]) {
  const calls = await benchRefreshCalls(n)
  row(`Node: refresh calls for ${n} concurrent requests on an expired token`, String(calls), '1', calls === 1)
}
for (const { name, bytes, limit, target } of await measureBudgets()) {
  const held = target < limit ? ` (CI: ≤ ${limit} B)` : ''
  row(`${name}, min+gzip (production)`, `${bytes} B`, `≤ ${target} B${held}`, bytes <= target)
}

const widths = rows[0]!.map((_, column) => Math.max(3, ...rows.map((cells) => cells[column]!.length)))
const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`
console.log(
  `Node ${process.version}, ${browserVersion}, ${new Date().toISOString().slice(0, 10)}; ` +
    `${RUNS} runs × ${ROUNDS} rounds; load average ${loadavg()[0]!.toFixed(1)}\n`,
)
console.log([line(rows[0]!), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)].join('\n'))
