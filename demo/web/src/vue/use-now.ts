import { onScopeDispose, ref, type Ref } from 'vue'

/** Date.now(), re-read every second so countdowns tick. */
export function useNow(): Readonly<Ref<number>> {
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), 1000)
  onScopeDispose(() => clearInterval(timer))
  return now
}
