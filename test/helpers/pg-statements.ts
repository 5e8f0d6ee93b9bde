import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * The statements PostgreSQL receives for one piece of work (a request through inject): every
 * client's query is noted while it runs in `work`'s async context, so background work of the host
 * (sweeps, the outbox) running meanwhile is not counted.
 */
export interface Statement {
  text: string;
  values: readonly unknown[];
}

const probe = new AsyncLocalStorage<Statement[]>();
let patched = false;

function patch(): void {
  if (patched) return;
  patched = true;
  const original = Reflect.get(pg.Client.prototype, 'query') as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const list = probe.getStore();
    if (list !== undefined) {
      const first = args[0] as string | { text: string; values?: unknown[] };
      const text = typeof first === 'string' ? first : first.text;
      const values = (Array.isArray(args[1]) ? args[1] : typeof first === 'string' ? [] : (first.values ?? [])) as unknown[];
      list.push({ text: text.replace(/\s+/g, ' ').trim(), values });
    }
    return original.apply(this, args);
  };
}

export async function statementsOf(work: () => Promise<unknown>): Promise<Statement[]> {
  patch();
  const list: Statement[] = [];
  await probe.run(list, work);
  return list;
}

/** Statements sent more than once with the same values. */
export function repeated(list: readonly Statement[]): string[] {
  const seen = new Map<string, number>();
  for (const s of list) {
    const key = `${s.text} ${JSON.stringify(s.values)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n}× ${k}`);
}

export const listing = (list: readonly Statement[]): string => list.map((s, i) => `${i + 1}. ${s.text.slice(0, 140)}`).join('\n');
