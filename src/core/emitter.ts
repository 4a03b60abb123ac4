type Listener = (payload: any) => void

export type Emit<Events> = <E extends keyof Events>(event: E, payload: Events[E]) => void

/** Synchronous events; one listener's exception never stops the others. */
export function createEmitter<Events extends object>() {
  const listeners = new Map<keyof Events, Set<Listener>>()

  return {
    on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      // Wrapped so that subscribing one function twice gives two independent subscriptions.
      const entry: Listener = (payload) => listener(payload)
      set.add(entry)
      return () => void set.delete(entry)
    },
    emit<E extends keyof Events>(event: E, payload: Events[E]): void {
      const set = listeners.get(event)
      if (!set) return
      for (const listener of [...set]) {
        try {
          listener(payload)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    clear(): void {
      listeners.clear()
    },
  }
}
