import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';

/** Counters of rate limits kept where every host counts (store/postgres/rate-limits.store.ts). */
export interface RateLimitCounters {
  /** Counts one request for `key` in a window of `windowMs` ms; the window's count so far and the ms left in it. */
  hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  peek(key: string): Promise<{ count: number; ttlMs: number }>;
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * @fastify/rate-limit's store over shared counters: several hosts behind one load balancer count a
 * client's requests together, so the limit is not multiplied by the number of hosts. Each route
 * with its own limit gets its own key prefix (method and URL), as the plugin's Redis store does.
 */
export function sharedRateLimitStore(counters: RateLimitCounters): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = 'rl:') {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      counters.hit(this.prefix + key, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
        (error: unknown) => cb(error instanceof Error ? error : new Error(String(error))),
      );
    }

    read(key: string, cb: Callback): void {
      counters.peek(this.prefix + key).then(
        (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
        (error: unknown) => cb(error instanceof Error ? error : new Error(String(error))),
      );
    }

    // The plugin hands the route's merged limit settings, its route under `routeInfo` (typed as the route's options).
    child(routeOptions: object): FastifyRateLimitStore {
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      return new SharedStore(`${this.prefix}${String(info.method ?? '')}${info.url ?? ''}-`);
    }
  }
  return SharedStore as unknown as FastifyRateLimitStoreCtor;
}
