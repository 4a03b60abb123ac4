// Per-request cost of auth.fetch with a fresh token, beside what it competes with.
// Runs unchanged in Node (bench/node-per-request.ts) and in Chromium (bench/browser.ts).
// What keeps it honest (issue 12): every path calls the same stub fetch that answers at
// once, so "added cost" = path − bare stub; the hand wrapper keeps one `Bearer …`
// string per token, as a well-written wrapper would; the paths take turns in shuffled
// rounds (no path always runs first, or while the JIT is still warming); a GC runs
// before each timed segment, so no path pays for another's garbage; each segment is
// long enough for a coarse browser clock; and the main thread's CPU time is the
// measure (wall time is kept as a cross-check), since on a shared machine a segment's
// wall time also counts the time other processes held the core.
import ky from 'ky'
import { createAuthClient } from 'tokenkeeper'
import { createKy } from 'tokenkeeper/ky'

export const PATHS = ['bare stub fetch', 'hand wrapper', 'auth.fetch', 'ky + beforeRequest hook', 'createKy'] as const
export type PathName = (typeof PATHS)[number]

export interface PerRequestSetup {
  /** A JWT valid for the whole run. */
  token: string
  /** The auth client's baseUrl; requests go to its /api/me. */
  baseUrl: string
  rounds: number
  /** Target length of one timed segment, ms. */
  segmentMs: number
  gc: () => void
  /** CPU time of the thread that runs this code, ns (may be async: Chromium's comes over CDP). */
  threadCpuNs: () => number | Promise<number>
  /** Lets the event loop turn between batches (Node frees signal-carrying Requests only then). */
  yieldToLoop: () => Promise<void>
}

export interface PerRequestResult {
  /** CPU ns per request of each path: its CPU time over all rounds ÷ its requests. */
  ns: Record<PathName, number>
  /** Median wall-clock ns per request of each path over the rounds. */
  wallNs: Record<PathName, number>
  /** auth.fetch's added cost ÷ the hand wrapper's, from `ns`. */
  authOverHand: number
  /**
   * The same in wall-clock time, as a cross-check: the median over the rounds of each
   * round's own ratio (its paths ran within a few hundred ms of each other).
   */
  authOverHandWall: number
  /** createKy ÷ ky with a beforeRequest hook (whole cost, both are ky), from `ns`. */
  createKyOverHook: number
}

interface Segment {
  cpu: number
  wall: number
}

const BATCH = 250

export async function measurePerRequest(setup: PerRequestSetup): Promise<PerRequestResult> {
  const { token, baseUrl } = setup
  const url = `${baseUrl}/api/me`
  let inspect: ((input: RequestInfo | URL, init?: RequestInit) => void) | undefined
  const stub = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (inspect) inspect(input, init)
    return Promise.resolve(new Response(null, { status: 200 }))
  }

  const auth = createAuthClient({ baseUrl, fetch: stub })
  auth.setAccessToken(token)

  // One header string per token, built when the token changes.
  let headerToken: string | undefined
  let header = ''
  const bearer = () => {
    if (headerToken !== token) {
      headerToken = token
      header = `Bearer ${token}`
    }
    return header
  }
  const handWrapper = (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    headers.set('Authorization', bearer())
    return stub(input, init ? { ...init, headers } : { headers })
  }
  const kyHook = ky.create({
    fetch: stub,
    hooks: { beforeRequest: [({ request }) => request.headers.set('Authorization', bearer())] },
  })
  const kyAuth = createKy(auth)

  const send: Record<PathName, () => Promise<unknown>> = {
    'bare stub fetch': () => stub(url),
    'hand wrapper': () => handWrapper(url),
    'auth.fetch': () => auth.fetch(url),
    'ky + beforeRequest hook': () => kyHook.get(url),
    createKy: () => kyAuth.get(url),
  }

  try {
    await checkHeaders()
    const sizes = await calibrate()
    // Thread CPU time is read in whole scheduler ticks (4 ms) in Node: summed over the
    // rounds, its rounding errors shrink to about 2% of a path's total.
    const cpu = Object.fromEntries(PATHS.map((path) => [path, 0])) as Record<PathName, number>
    const wall = Object.fromEntries(PATHS.map((path) => [path, [] as number[]])) as Record<PathName, number[]>
    const wallRatios: number[] = []
    for (let round = 0; round < setup.rounds; round++) {
      const run = {} as Record<PathName, Segment>
      for (const path of shuffled(PATHS)) {
        run[path] = await segment(path, sizes[path])
        cpu[path] += run[path].cpu / setup.rounds
        wall[path].push(run[path].wall)
      }
      const bare = run['bare stub fetch'].wall
      wallRatios.push((run['auth.fetch'].wall - bare) / (run['hand wrapper'].wall - bare))
    }
    const added = (path: PathName) => cpu[path] - cpu['bare stub fetch']
    return {
      ns: cpu,
      wallNs: Object.fromEntries(PATHS.map((path) => [path, median(wall[path])])) as Record<PathName, number>,
      authOverHand: added('auth.fetch') / added('hand wrapper'),
      authOverHandWall: median(wallRatios),
      createKyOverHook: cpu.createKy / cpu['ky + beforeRequest hook'],
    }
  } finally {
    auth.destroy()
  }

  /** CPU and wall-clock ns per request over `batches` batches, after a GC. */
  async function segment(path: PathName, batches: number): Promise<Segment> {
    setup.gc()
    const sendOne = send[path]
    const pending = Array.from<Promise<unknown>>({ length: BATCH })
    const cpuStart = await setup.threadCpuNs()
    const start = performance.now()
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < BATCH; i++) pending[i] = sendOne()
      await Promise.all(pending)
      await setup.yieldToLoop()
    }
    const wall = (performance.now() - start) * 1e6
    const cpu = (await setup.threadCpuNs()) - cpuStart
    return { cpu: cpu / (batches * BATCH), wall: wall / (batches * BATCH) }
  }

  /** Batches per segment for each path, so that a segment lasts about segmentMs (wall, least disturbed of 3); warms each path up. */
  async function calibrate(): Promise<Record<PathName, number>> {
    const sizes = {} as Record<PathName, number>
    for (const path of PATHS) {
      let perRequest = Infinity
      for (let i = 0; i < 3; i++) perRequest = Math.min(perRequest, (await segment(path, 4)).wall)
      sizes[path] = Math.max(1, Math.round((setup.segmentMs * 1e6) / perRequest / BATCH))
    }
    return sizes
  }

  /** Every path but the bare one must really send the Bearer header, or the bench measures nothing. */
  async function checkHeaders() {
    const seen: Partial<Record<PathName, string | null>> = {}
    let current: PathName = 'bare stub fetch'
    inspect = (input, init) => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
      seen[current] = headers.get('Authorization')
    }
    for (const path of PATHS) {
      current = path
      await send[path]()
    }
    inspect = undefined
    for (const path of PATHS) {
      const expected = path === 'bare stub fetch' ? null : `Bearer ${token}`
      if (seen[path] !== expected) throw new Error(`${path} sent Authorization ${String(seen[path])}`)
    }
  }
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
