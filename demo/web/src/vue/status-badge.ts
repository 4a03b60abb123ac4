import type { AuthState } from 'tokenkeeper'
import { defineComponent, h, type PropType } from 'vue'

export const StatusBadge = defineComponent({
  props: { state: { type: Object as PropType<AuthState>, required: true } },
  setup: (props) => () =>
    h('span', { class: `badge badge-${props.state.status}`, 'data-testid': 'status' }, props.state.status),
})
