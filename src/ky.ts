import ky, { type KyInstance, type Options } from 'ky'
import type { AuthClient } from './core/types.js'

/**
 * A ky instance whose every request, ky's own retries included, goes through
 * `auth.fetch`: Bearer header for allowed origins only, shared refresh, one
 * retry after a 401. `options` go to `ky.create`; `.extend()` keeps the auth.
 * The network call itself is made by the auth client's `fetch` option, so a
 * `fetch` given here is ignored.
 */
export function createKy(auth: Pick<AuthClient<any>, 'fetch'>, options: Options = {}): KyInstance {
  return ky.create({ ...options, fetch: (input, init) => auth.fetch(input, init) })
}
