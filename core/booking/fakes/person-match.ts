import type { PersonHashes } from '../model.ts';

interface Hashed {
  emailHash: string | null;
  phoneHash: string | null;
  identityHash: string | null;
}

/**
 * Whether a stored row belongs to the person, as the SQLite adapter matches it: its e-mail or phone
 * hash is one of the person's contact hashes (every key), or its identity hash one of theirs.
 */
export function matchesPerson(row: Hashed, p: PersonHashes): boolean {
  const contacts = new Set([p.emailHash, p.phoneHash, ...(p.contactHashes ?? [])].filter((h): h is string => h !== null));
  const ids = new Set(p.identity.map((k) => k.hash));
  return (
    (row.emailHash !== null && contacts.has(row.emailHash)) ||
    (row.phoneHash !== null && contacts.has(row.phoneHash)) ||
    (row.identityHash !== null && ids.has(row.identityHash))
  );
}

/** Sorts by the keys in order (numbers and strings), as an SQL ORDER BY does. */
export const byKeys =
  <T>(...keys: ((x: T) => number | string)[]) =>
  (a: T, b: T): number => {
    for (const k of keys) {
      const x = k(a);
      const y = k(b);
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
