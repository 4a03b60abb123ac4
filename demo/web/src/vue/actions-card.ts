import { useAuth } from 'tokenkeeper/vue'
import { defineComponent, h, ref, shallowRef } from 'vue'
import { eventLog } from '../auth.ts'
import { BURST, callMe, expireToken, fireBurst, plural, TEST_MODE, type Result } from '../try-it.ts'

export const ActionsCard = defineComponent({
  setup() {
    const { state, client } = useAuth()
    const result = shallowRef<Result | null>(null)
    const busy = ref(false)

    async function run(action: () => Promise<Result>) {
      busy.value = true
      try {
        result.value = await action()
      } catch (error) {
        result.value = { kind: 'failed', text: String(error) }
      } finally {
        busy.value = false
      }
    }

    function expire() {
      const current = state.value
      if (current.status === 'authenticated') void run(() => expireToken(current, eventLog))
    }

    const button = (label: string, onClick: () => void, disabled = busy.value) =>
      h('button', { class: 'button', onClick, disabled }, label)

    return () =>
      h('section', { class: 'card' }, [
        h('div', { class: 'card-head' }, [h('h2', 'Try it')]),
        h('div', { class: 'actions' }, [button('Call /api/me', () => void run(() => callMe(client, eventLog)))]),
        h('div', { class: 'actions' }, [
          TEST_MODE && button('Expire the token now', expire, busy.value || state.value.status !== 'authenticated'),
          button(`Fire ${BURST} concurrent requests`, () => void run(() => fireBurst(client, eventLog))),
        ]),
        resultView(result.value),
      ])
  },
})

function resultView(result: Result | null) {
  if (!result) {
    return h('p', { class: 'muted small' }, [
      'Requests go through ',
      h('code', 'client.fetch'),
      ', which adds the Bearer header and refreshes when needed.',
      TEST_MODE ? ' Expire the token, then fire: the 401s share one refresh.' : '',
    ])
  }
  if (result.kind === 'failed') return h('p', { class: 'error' }, result.text)
  if (result.kind === 'expired') {
    return h('div', { class: 'result', 'data-testid': 'expire-result' }, [
      h('span', { class: 'pill pill-bad' }, 'token expired on the server'),
      h('span', { class: 'muted small' }, `its clock moved ${result.seconds} s on; this tab still holds the token`),
    ])
  }
  if (result.kind === 'me') {
    return h('div', { class: 'result', 'data-testid': 'me-result', 'data-status': result.status }, [
      h('span', { class: `pill ${result.status === 200 ? 'pill-ok' : 'pill-bad'}` }, `HTTP ${result.status}`),
      h('pre', result.body),
    ])
  }
  return h(
    'div',
    { class: 'result', 'data-testid': 'burst-result', 'data-ok': result.ok, 'data-refreshes': result.refreshes },
    [
      h(
        'span',
        { class: `pill ${result.ok === result.total ? 'pill-ok' : 'pill-bad'}` },
        `${result.ok} / ${result.total} succeeded`,
      ),
      result.server && h('span', { class: 'pill' }, `${result.server.api401s} × 401 first`),
      h('span', { class: 'pill' }, plural(result.refreshes, 'refresh')),
      h('span', { class: 'muted small' }, `in ${result.ms} ms`),
    ],
  )
}
