import { defineComponent, h, onScopeDispose, shallowRef } from 'vue'
import { eventLog } from '../auth.ts'
import { formatTime } from '../session-info.ts'

export const EventLogCard = defineComponent({
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
