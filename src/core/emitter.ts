// Events for the app: synchronous, and a throwing listener never breaks the SDK or the other listeners.
type Listener = (payload: any) => void

export type Emit<Events> = <E extends keyof Events>(event: E, payload: Events[E]) => void

/** Synchronous events; one listener's exception never stops the others (nor the SDK). */
export function createEmitter<Events extends object>() {
  // One entry per subscription: the same function subscribed twice is two subscriptions.
  const entries = new Set<[keyof Events, Listener]>()

  return {
    on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
      const entry: [keyof Events, Listener] = [event, listener]
      entries.add(entry)
      return () => void entries.delete(entry)
    },
    emit: ((event, payload) => {
      for (const [name, listener] of [...entries]) {
        if (name !== event) continue
        try {
          listener(payload)
        } catch (error) {
          // Reported as uncaught, after the SDK's own work is done.
          queueMicrotask(() => {
            throw error
          })
        }
      }
    }) as Emit<Events>,
    clear: () => entries.clear(),
  }
}
