import type { Migration } from './migration.ts';

/**
 * Users and devices managed from the back office: an optional e-mail for alerts; install admins
 * (who manage every office of the install); a password somebody else saw (generated, reset) that
 * must be changed before the user can do anything else; when a device was last seen.
 */
export default {
  version: 17,
  sql: `
  ALTER TABLE users ADD COLUMN email TEXT;
  ALTER TABLE users ADD COLUMN is_install_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_install_admin IN (0, 1));
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
  ALTER TABLE devices ADD COLUMN last_seen_at INTEGER;
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE INDEX users_office ON users (office_id);
  `,
} satisfies Migration;
