// One Node run of bench/per-request.ts, in its own process (started by bench/run.ts
// with --expose-gc); prints its result as JSON on the last line of stdout.
// Usage: node --expose-gc bench/node-per-request.ts TOKEN ROUNDS
import { measurePerRequest } from './per-request.ts'

const [token, rounds] = process.argv.slice(2)
const gc = globalThis.gc
if (!token || !gc) throw new Error('usage: node --expose-gc bench/node-per-request.ts TOKEN ROUNDS')

const result = await measurePerRequest({
  token,
  baseUrl: 'https://app.test',
  rounds: Number(rounds ?? 15),
  segmentMs: 40,
  gc: () => gc(),
  threadCpuNs: () => {
    const { user, system } = process.threadCpuUsage()
    return (user + system) * 1000
  },
  yieldToLoop: () => new Promise((resolve) => setImmediate(resolve)),
})
console.log(JSON.stringify(result))
