import { useAuth } from 'tokenkeeper/vue'
import { defineComponent, h } from 'vue'
import { ActionsCard } from './actions-card.ts'
import { EventLogCard } from './event-log-card.ts'
import { LoginForm } from './login-form.ts'
import { SessionCard } from './session-card.ts'

export const App = defineComponent({
  setup() {
    const { state } = useAuth()
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
          h('div', { class: 'column' }, [h(ActionsCard), h(EventLogCard)]),
        ]),
      ])
  },
})
