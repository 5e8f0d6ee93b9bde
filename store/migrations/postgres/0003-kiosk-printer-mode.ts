import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0003-kiosk-printer-mode.ts. A kiosk prints through its print agent ('agent') or issues straight to the queue ('none')
 */
export default {
  version: 3,
  sql: `
  ALTER TABLE devices ADD COLUMN printer TEXT NOT NULL DEFAULT 'none' CHECK (printer IN ('agent', 'none'));
  `,
} satisfies Migration;
