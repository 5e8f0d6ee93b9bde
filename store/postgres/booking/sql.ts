import type pg from 'pg';
import type { PersonHashes } from '../../../core/booking/model.ts';

/**
 * What the adapters run their statements on: the unit of work's client, inside its transaction.
 * Text that orders results (ids as tie-breaks) is compared COLLATE "C", byte by byte as SQLite
 * does, whatever locale the city's database was created with.
 */
export type Sql = Pick<pg.ClientBase, 'query'>;

const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A select list giving each column under its model field's name (`office_id AS "officeId"`): rows
 * come back in the model's shape, with no mapper per table. Columns are snake_case of the fields.
 */
export function fieldsOf(fields: readonly string[], overrides: Readonly<Record<string, string>> = {}): string {
  return fields.map((f) => `${overrides[f] ?? snake(f)} AS "${f}"`).join(', ');
}

/** The columns of model fields, in their order (for an INSERT). */
export const columnsOf = (fields: readonly string[]): string => fields.map(snake).join(', ');

/** `$1, $2, …, $n`. */
export const placeholders = (n: number): string => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');

export async function rows<T>(sql: Sql, text: string, values: readonly unknown[]): Promise<T[]> {
  return (await sql.query(text, values as unknown[])).rows as T[];
}

export async function row<T>(sql: Sql, text: string, values: readonly unknown[]): Promise<T | null> {
  return ((await sql.query(text, values as unknown[])).rows[0] as T | undefined) ?? null;
}

/** Rows an INSERT/UPDATE/DELETE touched. */
export async function changes(sql: Sql, text: string, values: readonly unknown[]): Promise<number> {
  return (await sql.query(text, values as unknown[])).rowCount ?? 0;
}

/**
 * SQL matching a person by any of their hashes, `$c` the contact hashes (e-mail and phone, every
 * configured key; the purposes differ, so an e-mail hash can never equal a phone hash) and `$i`
 * the identity hashes, both text arrays: `personMatch(2)` reads `$2` and `$3`.
 */
export const personMatch = (c: number): string =>
  `(email_hash = ANY($${c}::text[]) OR phone_hash = ANY($${c}::text[]) OR identity_hash = ANY($${c + 1}::text[]))`;

/** The two arrays `personMatch` reads, in its order. */
export const personArrays = (p: PersonHashes): [string[], string[]] => [
  [...new Set([p.emailHash, p.phoneHash, ...(p.contactHashes ?? [])].filter((h): h is string => h !== null))],
  p.identity.map((k) => k.hash),
];

/**
 * Advisory locks held to the end of the transaction, one per key, taken in a fixed order so that
 * two transactions wanting the same keys never wait on each other in a cycle. `space` keeps
 * unrelated kinds of key apart (PostgreSQL's two-integer form; the migration lock uses the other).
 * What the caller reads after the lock must see what the previous holder committed: true under
 * READ COMMITTED (each statement its own snapshot), caught under SERIALIZABLE (one side aborts and
 * is retried), silently false under REPEATABLE READ (the snapshot predates the wait), which is
 * therefore refused.
 */
export async function lockKeys(sql: Sql, space: number, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    const r = await sql.query<{ iso: string }>(`SELECT pg_advisory_xact_lock($1, hashtext($2)), current_setting('transaction_isolation') AS iso`, [space, key]);
    if (r.rows[0]?.iso === 'repeatable read') throw new Error('a key lock cannot guard a REPEATABLE READ transaction: run this unit READ COMMITTED or SERIALIZABLE');
  }
}

/** Lock spaces of `lockKeys`. */
export const LOCK = { identity: 1, slotDay: 2, statsDay: 3, template: 4, counter: 5, calls: 6 } as const;

/**
 * A port in its async form, every method answering a promise: the booking ports are becoming
 * async; until they are, the PostgreSQL adapters implement this of them (same as the contract
 * suites' `Async`). Once the ports are async, `Async<SlotStore>` becomes `SlotStore`.
 */
export type Async<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K] };
