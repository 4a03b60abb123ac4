import { useAuth } from 'tokenkeeper/vue'
import { defineComponent, h, ref, type Ref } from 'vue'
import { DEMO_USERS, describeReason, loginErrorMessage } from '../session-info.ts'
import { StatusBadge } from './status-badge.ts'

export const LoginForm = defineComponent({
  setup() {
    const { state, client } = useAuth()
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
        error.value = loginErrorMessage(failure)
      } finally {
        busy.value = false
      }
    }

    const field = (label: string, model: Ref<string>, attrs: Record<string, string>) =>
      h('label', [
        label,
        h('input', {
          ...attrs,
          value: model.value,
          onInput: (event: Event) => (model.value = (event.target as HTMLInputElement).value),
        }),
      ])

    return () => {
      const reason = describeReason(state.value)
      return h('section', { class: 'card' }, [
        h('div', { class: 'card-head' }, [h('h2', 'Sign in'), h(StatusBadge, { state: state.value })]),
        reason && h('p', { class: 'muted small', 'data-testid': 'reason' }, reason),
        h('form', { class: 'form', onSubmit: submit }, [
          field('Username', username, { name: 'username', autocomplete: 'username' }),
          field('Password', password, { name: 'password', type: 'password', autocomplete: 'current-password' }),
          error.value && h('p', { class: 'error', role: 'alert' }, error.value),
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
    }
  },
})
