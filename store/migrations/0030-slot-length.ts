import type { Migration } from './migration.ts';

/**
 * A slot's length when it was stored. A service's slot length can change after a day's slots were
 * stored (and booked); the time a stored slot covers is its own length, not the one in force, so
 * that re-reading the day under the new length never offers a slot overlapping a kept one. NULL
 * for slots stored before: read as the length in force, as they were until now.
 */
export default {
  version: 30,
  sql: `
  ALTER TABLE slots ADD COLUMN minutes INTEGER;
  `,
} satisfies Migration;
