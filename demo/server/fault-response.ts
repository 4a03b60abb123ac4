import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { setTimeout as delay } from 'node:timers/promises'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppContext } from './context.ts'
import type { CommitFault, Fault } from './faults.ts'

/** Answers instead of the handler. */
export async function respondWithFault(
  c: AppContext,
  fault: Exclude<Fault, CommitFault>,
  shutdown: AbortSignal,
): Promise<Response> {
  switch (fault.kind) {
    case 'status':
      if (fault.retryAfter !== undefined) c.header('Retry-After', String(fault.retryAfter))
      return c.json({ error: 'injected_fault', status: fault.status }, fault.status as ContentfulStatusCode)
    case 'html':
      // What a misconfigured proxy or an SPA fallback route answers instead of JSON.
      return c.html('<!doctype html><title>Bad Gateway</title><h1>502 Bad Gateway</h1>', 200)
    case 'empty':
      return c.body(null, 200, { 'Content-Type': 'application/json' })
    case 'hang':
      await untilAborted(AbortSignal.any([c.req.raw.signal, shutdown]))
      return dropConnection(c)
    case 'drop':
      return dropConnection(c)
  }
}

/**
 * After the handler committed: holds its answer `ms` (`commit-then-hang`), or loses it
 * (`commit-then-drop`, and a hang cut short by the client leaving or the server closing).
 */
export async function deliverWithFault(c: AppContext, fault: CommitFault, shutdown: AbortSignal): Promise<void> {
  if (fault.kind === 'commit-then-hang') {
    const released = await delay(fault.ms, true, { signal: AbortSignal.any([c.req.raw.signal, shutdown]) }).catch(
      () => false,
    )
    if (released) return
  }
  // Replacing c.res merges the old headers into the new one: start from nothing.
  c.res = undefined
  c.res = dropConnection(c)
}

function dropConnection(c: AppContext): Response {
  c.env?.incoming?.socket.destroy()
  return RESPONSE_ALREADY_SENT
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
