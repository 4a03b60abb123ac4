import type { AuthState } from 'tokenkeeper'

export function StatusBadge({ state }: { state: AuthState }) {
  return (
    <span className={`badge badge-${state.status}`} data-testid="status">
      {state.status}
    </span>
  )
}
