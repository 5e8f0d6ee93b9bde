/**
 * A port as its async form: every method answers a promise. What the store ports are becoming;
 * adapters that can only answer asynchronously (PostgreSQL) implement this form of a port
 * until the port itself is async.
 */
export type Async<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K] };
