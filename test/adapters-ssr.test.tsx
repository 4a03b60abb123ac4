// @vitest-environment node
// Server-side rendering in plain Node (no DOM): a client created at module level, as apps
// do, renders the unknown state and makes no network call; the browser restores later.
import { renderToString as renderReact } from 'react-dom/server'
import { afterEach, expect, it, vi } from 'vitest'
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString as renderVue } from 'vue/server-renderer'
import { createAuthClient, type AuthClient } from '../src/index.ts'
import { AuthProvider, RequireAuth, useAuth as useReactAuth } from '../src/react.ts'
import { createAuthPlugin, useAuth as useVueAuth } from '../src/vue.ts'

const clients: AuthClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

function serverClient() {
  const fetch = vi.fn<typeof globalThis.fetch>()
  const client = createAuthClient({ fetch })
  clients.push(client)
  return { client, fetch }
}

it('React renders the unknown state, the fallback of RequireAuth, and calls nobody', () => {
  const { client, fetch } = serverClient()
  const onUnauthenticated = vi.fn()
  function Page() {
    const { isLoading, isAuthenticated } = useReactAuth()
    return <p>{`loading: ${isLoading}, authenticated: ${isAuthenticated}`}</p>
  }

  const html = renderReact(
    <AuthProvider client={client}>
      <Page />
      <RequireAuth fallback={<p>checking</p>} onUnauthenticated={onUnauthenticated}>
        <p>secret</p>
      </RequireAuth>
    </AuthProvider>,
  )
  expect(html).toBe('<p>loading: true, authenticated: false</p><p>checking</p>')
  expect(onUnauthenticated).not.toHaveBeenCalled()
  expect(fetch).not.toHaveBeenCalled()
})

it('Vue renders the unknown state and calls nobody', async () => {
  const { client, fetch } = serverClient()
  const Page = defineComponent({
    setup() {
      const { state, isLoading } = useVueAuth()
      return () => h('p', `${state.value.status}, loading: ${isLoading.value}`)
    },
  })

  const html = await renderVue(createSSRApp(Page).use(createAuthPlugin(client)))
  expect(html).toBe('<p>unknown, loading: true</p>')
  // The plugin started restore(); joining it shows that it settled without a call.
  await expect(client.restore()).resolves.toEqual({ status: 'unknown' })
  expect(fetch).not.toHaveBeenCalled()
})
