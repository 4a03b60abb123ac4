// The Vue 3 page: render functions (defineComponent + h), since no SFC plugin is installed.
import { isAuthError } from 'tokenkeeper'
import { createAuthPlugin, useAuth } from 'tokenkeeper/vue'
import { createApp, defineComponent, h, onScopeDispose, ref, shallowRef } from 'vue'
import { auth, countRefreshCalls, eventLog, type DemoClaims } from './auth.ts'
import { DEMO_USERS, formatTime, lifeLeft, nextRefreshAt, secondsUntil } from './session-info.ts'

function useNow() {
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), 1000)
  onScopeDispose(() => clearInterval(timer))
  return now
}

const StatusBadge = defineComponent({
  props: { status: { type: String, required: true } },
  setup: (props) => () => h('span', { class: `badge badge-${props.status}`, 'data-testid': 'status' }, props.status),
})

const LoginForm = defineComponent({
  setup() {
    const { state, client } = useAuth<DemoClaims>()
    const username = ref('demo')
    const password = ref('demo1234')
    const busy = ref(false)
    const error = ref('')

    async function submit(event: Event) {
      event.preventDefault()
      busy.value = true
      error.value = ''
      try {
        await client.login({ username: username.value, password: password.value })
      } catch (failure) {
        error.value = isAuthError(failure, 'invalid_credentials')
          ? 'Wrong username or password.'
          : `Login failed: ${String(failure)}`
      } finally {
        busy.value = false
      }
    }

    const field = (label: string, model: typeof username, attrs: Record<string, string>) =>
      h('label', [
        label,
        h('input', {
          ...attrs,
          value: model.value,
          onInput: (event: Event) => (model.value = (event.target as HTMLInputElement).value),
        }),
      ])

    return () =>
      h('section', { class: 'card' }, [
        h('div', { class: 'card-head' }, [h('h2', 'Sign in'), h(StatusBadge, { status: state.value.status })]),
        h('form', { class: 'form', onSubmit: submit }, [
          field('Username', username, { name: 'username', autocomplete: 'username' }),
          field('Password', password, { name: 'password', type: 'password', autocomplete: 'current-password' }),
          error.value ? h('p', { class: 'error', role: 'alert' }, error.value) : null,
          h(
            'button',
            { class: 'button primary', type: 'submit', disabled: busy.value },
            busy.value ? 'Signing in…' : 'Sign in',
          ),
        ]),
        h('p', { class: 'hint' }, [
          'Demo users: ',
          ...DEMO_USERS.flatMap((user, index) => [
            index > 0 ? ' or ' : '',
            h('code', user.username),
            ' / ',
            h('code', user.password),
          ]),
        ]),
      ])
  },
})

const SessionCard = defineComponent({
  setup() {
    const { state, client } = useAuth<DemoClaims>()
    const now = useNow()
    return () => {
      const current = state.value
      const head = h('div', { class: 'card-head' }, [h('h2', 'Session'), h(StatusBadge, { status: current.status })])
      if (current.status !== 'authenticated') {
        return h('section', { class: 'card' }, [
          head,
          h('p', { class: 'muted' }, 'Restoring the session from the refresh cookie…'),
        ])
      }
      const { claims } = current
      return h('section', { class: 'card' }, [
        head,
        h('p', { class: 'user' }, [
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, (claims.name ?? '?').slice(0, 1)),
          h('span', [
            h('strong', { 'data-testid': 'user' }, claims.name),
            h('span', { class: 'muted small' }, claims.email),
          ]),
        ]),
        h('dl', { class: 'stats' }, [
          h('div', [
            h('dt', 'Token expires in'),
            h('dd', { 'data-testid': 'expires-in' }, `${secondsUntil(current.expiresAt, now.value)} s`),
          ]),
          h('div', [h('dt', 'Next refresh in'), h('dd', `≈ ${secondsUntil(nextRefreshAt(current), now.value)} s`)]),
          h('div', [h('dt', 'Refresh calls (this tab)'), h('dd', countRefreshCalls())]),
        ]),
        h('div', { class: 'meter', 'aria-hidden': 'true' }, [
          h('div', { style: { width: `${lifeLeft(current, now.value)}%` } }),
        ]),
        h('details', { class: 'claims' }, [
          h('summary', 'Decoded claims'),
          h('pre', { 'data-testid': 'claims' }, JSON.stringify(claims, null, 2)),
        ]),
        h('div', { class: 'actions spaced' }, [
          h('button', { class: 'button danger', onClick: () => client.logout() }, 'Logout'),
        ]),
      ])
    }
  },
})

const EventLogCard = defineComponent({
  setup() {
    const entries = shallowRef(eventLog.getEntries())
    onScopeDispose(eventLog.subscribe(() => (entries.value = eventLog.getEntries())))
    return () =>
      h('section', { class: 'card log-card' }, [
        h('div', { class: 'card-head' }, [h('h2', 'Event log'), h('span', { class: 'muted small' }, 'newest first')]),
        entries.value.length === 0
          ? h('p', { class: 'muted small' }, 'Nothing yet.')
          : h(
              'ol',
              { class: 'log', 'data-testid': 'event-log' },
              entries.value.map((entry) =>
                h('li', { key: entry.id }, [
                  h('time', formatTime(entry.at)),
                  h('span', { class: `tag tag-${entry.kind}` }, entry.kind.replace('_', ' ')),
                  h('span', entry.text),
                ]),
              ),
            ),
      ])
  },
})

const App = defineComponent({
  setup() {
    const { state } = useAuth<DemoClaims>()
    return () =>
      h('div', { class: 'page' }, [
        h('header', { class: 'masthead' }, [
          h('div', [
            h('h1', ['tokenkeeper ', h('span', { class: 'muted' }, 'demo')]),
            h('p', { class: 'lede' }, 'Vue 3 · access token in memory · refresh token in an HttpOnly cookie'),
          ]),
          h('nav', { class: 'switch' }, [
            h('a', { class: 'switch-item', href: '/' }, 'React'),
            h('span', { class: 'switch-item active' }, 'Vue'),
          ]),
        ]),
        h('p', { class: 'tip' }, [
          h('strong', 'Open a second tab'),
          ' (this page or the ',
          h('a', { href: '/' }, 'React page'),
          ') to watch logins, logouts and refreshes sync across tabs.',
        ]),
        h('main', { class: 'grid' }, [
          h('div', { class: 'column' }, [state.value.status === 'unauthenticated' ? h(LoginForm) : h(SessionCard)]),
          h(EventLogCard),
        ]),
      ])
  },
})

createApp(App).use(createAuthPlugin(auth)).mount('#app')
