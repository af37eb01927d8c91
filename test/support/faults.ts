/**
 * Fault injection for integration tests: one method of a real port or adapter is replaced by a
 * wrapper that may fail; every other method, and the servers behind them, stay the real thing.
 */

type MethodOf<T, K extends keyof T> = T[K] extends (...args: infer A) => infer R ? (...args: A) => R : never;

/** `target` with `method` replaced by `wrap(original)`; the original stays callable, bound to `target`. */
export const intercept = <T extends object, K extends keyof T>(
  target: T,
  method: K,
  wrap: (original: MethodOf<T, K>) => MethodOf<T, K>,
): T => {
  const original = (target[method] as (...args: unknown[]) => unknown).bind(target) as MethodOf<T, K>;
  const replacement = wrap(original);
  return new Proxy(target, {
    get: (object, property, receiver) =>
      property === method ? replacement : Reflect.get(object, property, receiver),
  });
};

/** An error that is not one of the adapter's own: what a dying process or a dropped connection looks like. */
export class SimulatedCrash extends Error {
  override name = "SimulatedCrash";
}
