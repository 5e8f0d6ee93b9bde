/** The intersection of a tuple of part types: what `combine` returns. */
export type Intersection<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]] ? H & Intersection<R> : unknown;

/**
 * One object with every method of the parts, each bound to its part: a store made of one adapter
 * per port (the booking store on SQLite and on PostgreSQL). The parts' ports do not overlap; a
 * name two parts share is a bug and throws at construction.
 */
export function combine<T extends readonly object[]>(...parts: T): Intersection<T> {
  const all: Record<string, unknown> = {};
  for (const part of parts) {
    const proto = Object.getPrototypeOf(part) as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method: unknown = Reflect.get(part, name);
      if (name === 'constructor' || typeof method !== 'function') continue;
      if (name in all) throw new Error(`store: two parts implement ${name}`);
      all[name] = (method as (...args: unknown[]) => unknown).bind(part);
    }
  }
  return all as Intersection<T>;
}
