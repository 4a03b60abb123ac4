import { spawn } from 'node:child_process'

/**
 * The reference server in its own Node process: a happy-dom test replaces the
 * globals (Request, Response) that the server's own HTTP stack needs.
 * Test-mode routes give the counters and the clock.
 */
export async function startServerProcess(accessTtl = 30) {
  const child = spawn(process.execPath, ['demo/server/main.ts'], {
    env: { ...process.env, PORT: '0', ACCESS_TTL: String(accessTtl), TEST_MODE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)))
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(String(chunk))
      // happy-dom keeps Secure cookies on plain http for "localhost" only (browsers also for 127.0.0.1).
      if (match) resolve(match[1]!.replace('127.0.0.1', 'localhost'))
    })
  })
  // Test-mode calls from Node: no cookie jar here, so they never carry the refresh cookie.
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return response.status === 204 ? undefined : response.json()
  }
  return {
    url,
    stats: () => call('/__test/stats') as Promise<Record<string, number>>,
    advanceClock: (advanceMs: number) => call('/__test/clock', { advanceMs }),
    reset: () => call('/__test/reset', {}),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
