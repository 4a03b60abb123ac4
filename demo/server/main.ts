// CLI: `node demo/server/main.ts`. From the environment: PORT (default 5174), HOST (default
// 127.0.0.1), ACCESS_TTL seconds (default 30), TEST_MODE=1 for the /__test/* routes, and for
// a real deployment REFRESH_SECRET (32+ bytes, base64), SIGNING_KEY (PKCS#8 PEM of an EC
// P-256 key) and TRUST_PROXY=1 behind a TLS proxy that appends X-Forwarded-For.
import { startServer } from './index.ts'
import { intFromEnv } from './node-http.ts'

const server = await startServer({
  port: intFromEnv('PORT', 5174),
  host: process.env.HOST || '127.0.0.1',
  accessTtl: intFromEnv('ACCESS_TTL', 30),
  testMode: process.env.TEST_MODE === '1',
  trustProxy: process.env.TRUST_PROXY === '1',
  refreshSecret: process.env.REFRESH_SECRET ? Buffer.from(process.env.REFRESH_SECRET, 'base64') : undefined,
  signingKey: process.env.SIGNING_KEY || undefined,
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
