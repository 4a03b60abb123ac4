/**
 * A Map whose entries expire at their own time and are dropped by an incremental
 * sweep. A min-heap orders the expiry times, so a sweep touches only entries that are
 * due, a bounded number per call: v1 scanned every record at login and blocked the
 * event loop for 270–660 ms (issue 9).
 */
export interface ExpiringMap<K, V> {
  /** Entries held, expired ones included until a sweep drops them. */
  readonly size: number
  /** The value, or undefined once it expired (even before a sweep dropped it). */
  get(key: K): V | undefined
  /** Sets or replaces an entry; a later `expiresAt` extends its life. */
  set(key: K, value: V, expiresAt: number): void
  delete(key: K): void
  /** Drops up to `limit` expired entries; returns how many heap slots it used, 0 when nothing was due. */
  sweep(limit: number): number
}

interface Entry<V> {
  value: V
  expiresAt: number
  /** The time under which the heap holds this key (never later than expiresAt). */
  queuedAt: number
}

// Each write also drops a few due entries, so steady traffic never lets them pile up.
const SWEEP_PER_WRITE = 2

export function createExpiringMap<K, V>(options: {
  now: () => number
  onExpire?: (key: K, value: V) => void
}): ExpiringMap<K, V> {
  const { now, onExpire } = options
  const entries = new Map<K, Entry<V>>()
  const heap = createMinHeap<K>()

  function sweep(limit: number): number {
    const current = now()
    let used = 0
    for (; used < limit; used++) {
      const top = heap.peek()
      if (!top || top.at > current) break
      heap.pop()
      const entry = entries.get(top.key)
      if (!entry || entry.queuedAt !== top.at) continue // deleted or re-queued since
      if (entry.expiresAt > current) {
        // Its life was extended: queue it again under the new time (one heap slot per key).
        entry.queuedAt = entry.expiresAt
        heap.push(entry.expiresAt, top.key)
        continue
      }
      entries.delete(top.key)
      onExpire?.(top.key, entry.value)
    }
    return used
  }

  return {
    get size() {
      return entries.size
    },
    get(key) {
      const entry = entries.get(key)
      return entry && entry.expiresAt > now() ? entry.value : undefined
    },
    set(key, value, expiresAt) {
      const entry = entries.get(key)
      if (entry && expiresAt >= entry.queuedAt) {
        entry.value = value
        entry.expiresAt = expiresAt
      } else {
        entries.set(key, { value, expiresAt, queuedAt: expiresAt })
        heap.push(expiresAt, key)
      }
      sweep(SWEEP_PER_WRITE)
    },
    delete(key) {
      entries.delete(key)
    },
    sweep,
  }
}

/**
 * Sweeps in slices of `slice` entries, yielding to the event loop between slices,
 * every `intervalMs` (an unref'd timer: it never keeps the process alive). Returns a stop function.
 */
export function startSweeper(sweep: (limit: number) => number, intervalMs = 1000, slice = 1000): () => void {
  let immediate: NodeJS.Immediate | undefined
  const run = () => {
    immediate = sweep(slice) >= slice ? setImmediate(run) : undefined
  }
  const timer = setInterval(() => immediate ?? run(), intervalMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    if (immediate) clearImmediate(immediate)
  }
}

interface Slot<K> {
  at: number
  key: K
}

function createMinHeap<K>() {
  const slots: Slot<K>[] = []
  const less = (a: number, b: number) => slots[a]!.at < slots[b]!.at
  const swap = (a: number, b: number) => ([slots[a], slots[b]] = [slots[b]!, slots[a]!])
  return {
    peek: (): Slot<K> | undefined => slots[0],
    push(at: number, key: K) {
      slots.push({ at, key })
      for (let i = slots.length - 1; i > 0;) {
        const parent = (i - 1) >> 1
        if (!less(i, parent)) break
        swap(i, parent)
        i = parent
      }
    },
    pop() {
      const last = slots.pop()
      if (!last || slots.length === 0) return
      slots[0] = last
      for (let i = 0; ;) {
        const left = 2 * i + 1
        let smallest = i
        if (left < slots.length && less(left, smallest)) smallest = left
        if (left + 1 < slots.length && less(left + 1, smallest)) smallest = left + 1
        if (smallest === i) break
        swap(i, smallest)
        i = smallest
      }
    },
  }
}
