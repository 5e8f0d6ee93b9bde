/** The engine bench's shape, shared by its parts (engine.bench.ts, engine-db.ts, engine-http.ts). */
export const ENGINE_RUNS = 3;
export const WAITING = 10_000;
export const SERVICES = 5;
/** Counter 1 serves 3 of the 5 services, in this preference order. */
export const COUNTER_SERVICES = [1, 3, 0];
export const MAX_WAIT_MIN = 30;
