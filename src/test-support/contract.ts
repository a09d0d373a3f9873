/** A store opened for one contract test, and how to close it. */
export interface OpenedStore<S> {
  store: S;
  close: () => Promise<void>;
}

/** Wraps a test body so that each test gets its own freshly opened store, closed afterwards. */
export function withFreshStore<S>(open: () => Promise<OpenedStore<S>>) {
  return (fn: (store: S) => Promise<void>) => async () => {
    const { store, close } = await open();
    try {
      await fn(store);
    } finally {
      await close();
    }
  };
}
