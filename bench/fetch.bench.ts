// Per-request cost of auth.fetch with a valid token, beside what it competes
// with, measured in one run so that only the ratios matter.
// 'tokenkeeper' is the built dist/ at run time (the package's own exports) and src/ for the type checker.
import { Bench } from 'tinybench'
import ky from 'ky'
import { createAuthClient } from 'tokenkeeper'
import { makeToken } from '../test/helpers/make-jwt.ts'

const BATCH = 250
const URL_ = 'https://app.test/api/me'
const token = makeToken(3600)
const ok = (_input?: unknown, _init?: unknown) => Promise.resolve(new Response(null, { status: 200 }))

const auth = createAuthClient({ baseUrl: 'https://app.test', crossTab: false, fetch: ok })
auth.setAccessToken(token)

const handWrapper = (input: string, init?: RequestInit) => {
  const headers = new Headers(init?.headers)
  headers.set('Authorization', `Bearer ${token}`)
  return ok(input, { ...init, headers })
}

const kyHook = ky.create({
  fetch: ok,
  retry: 0,
  hooks: { beforeRequest: [({ request }) => request.headers.set('Authorization', `Bearer ${token}`)] },
})

// Node frees Requests that carry signals only once the event loop turns: yield per batch.
const batch = (send: () => Promise<unknown>) => async () => {
  const pending: Promise<unknown>[] = []
  for (let i = 0; i < BATCH; i++) pending.push(send())
  await Promise.all(pending)
  await new Promise((resolve) => setImmediate(resolve))
}

export async function benchFetch() {
  const bench = new Bench({ time: 1500, warmup: true })
  bench
    .add(
      'bare stub fetch',
      batch(() => ok(URL_)),
    )
    .add(
      'hand wrapper',
      batch(() => handWrapper(URL_)),
    )
    .add(
      'auth.fetch',
      batch(() => auth.fetch(URL_)),
    )
    .add(
      'ky + beforeRequest hook',
      batch(() => kyHook.get(URL_)),
    )
  await bench.run()
  auth.destroy()
  const perRequest = Object.fromEntries(
    bench.tasks.map((task) => [task.name, (task.result as { latency: { mean: number } }).latency.mean / BATCH]),
  )
  return perRequest as Record<'bare stub fetch' | 'hand wrapper' | 'auth.fetch' | 'ky + beforeRequest hook', number>
}
