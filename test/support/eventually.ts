/** Retries an assertion until it passes or the deadline is reached; the last failure is rethrown. */
export const eventually = async <T>(assertion: () => T | Promise<T>, timeoutMs = 5000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
};
