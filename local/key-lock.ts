export type KeyLock = <T>(keys: readonly string[], work: () => Promise<T>) => Promise<T>;

/**
 * Runs work that touches the same keys one at a time, in arrival order. All keys of a call are
 * claimed in one synchronous step, so calls on overlapping key sets cannot deadlock.
 */
export const createKeyLock = (): KeyLock => {
  const tails = new Map<string, Promise<void>>();
  return async (keys, work) => {
    const unique = [...new Set(keys)];
    const previous = unique.map((key) => tails.get(key));
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const key of unique) tails.set(key, done);
    try {
      await Promise.all(previous);
      return await work();
    } finally {
      release();
      for (const key of unique) if (tails.get(key) === done) tails.delete(key);
    }
  };
};
