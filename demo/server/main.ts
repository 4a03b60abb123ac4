// CLI: `node demo/server/main.ts` — PORT (default 5174), ACCESS_TTL seconds (default 30),
// HOST (default 127.0.0.1), TEST_MODE=1 for the /__test/* routes.
import { startServer } from './index.ts'
import { intFromEnv } from './node-http.ts'

const server = await startServer({
  port: intFromEnv('PORT', 5174),
  host: process.env.HOST || '127.0.0.1',
  accessTtl: intFromEnv('ACCESS_TTL', 30),
  testMode: process.env.TEST_MODE === '1',
})
console.log(`tokenkeeper demo server listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
