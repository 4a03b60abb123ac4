import { useAuth } from 'tokenkeeper/vue'
import { defineComponent, h, onScopeDispose, shallowRef } from 'vue'
import { eventLog } from '../auth.ts'
import { lifeLeft, secondsUntil } from '../session-info.ts'
import { StatusBadge } from './status-badge.ts'
import { useNow } from './use-now.ts'

export const SessionCard = defineComponent({
  setup() {
    const { state, client, error } = useAuth()
    const refreshes = shallowRef(eventLog.getRefreshCount())
    onScopeDispose(eventLog.subscribe(() => (refreshes.value = eventLog.getRefreshCount())))
    const now = useNow()

    const stat = (label: string, value: string | number, testid: string) =>
      h('div', [h('dt', label), h('dd', { 'data-testid': testid }, value)])

    return () => {
      const current = state.value
      const head = h('div', { class: 'card-head' }, [h('h2', 'Session'), h(StatusBadge, { state: current })])
      if (current.status !== 'authenticated') {
        return h('section', { class: 'card' }, [
          head,
          h('p', { class: 'muted' }, 'Restoring the session from the refresh cookie…'),
          error.value &&
            h(
              'p',
              { class: 'error', role: 'alert' },
              `Could not reach the auth server (${error.value.code}); retrying.`,
            ),
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
          stat('Token expires in', `${secondsUntil(current.expiresAt, now.value)} s`, 'expires-in'),
          stat('Next refresh in', `${secondsUntil(current.refreshAt, now.value)} s`, 'refresh-in'),
          stat('Token refreshes', refreshes.value, 'refresh-count'),
        ]),
        h('div', { class: 'meter', 'aria-hidden': 'true' }, [
          h('div', { style: { width: `${lifeLeft(current, now.value)}%` } }),
        ]),
        h('details', { class: 'claims', open: true }, [
          h('summary', 'Decoded claims'),
          h('pre', { 'data-testid': 'claims' }, JSON.stringify(claims, null, 2)),
        ]),
        h('div', { class: 'actions spaced' }, [
          h('button', { class: 'button danger', onClick: () => void client.logout() }, 'Logout'),
        ]),
      ])
    }
  },
})
