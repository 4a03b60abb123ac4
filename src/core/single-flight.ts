// One shared promise per refresh: concurrent callers in a tab wait for the same call.
/** Runs at most one task at a time: callers that arrive meanwhile share its promise. */
export function createSingleFlight<T>() {
  let inFlight: Promise<T> | undefined

  return function run(task: () => Promise<T>): Promise<T> {
    if (!inFlight) {
      const promise = (async () => task())().finally(() => {
        if (inFlight === promise) inFlight = undefined
      })
      inFlight = promise
    }
    return inFlight
  }
}
