import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0018-people.ts. Users and devices managed from the back office: e-mail, install admins, a password that must be
 * changed, when a device was last seen.
 */
export default {
  version: 18,
  sql: `
  ALTER TABLE users ADD COLUMN email TEXT;
  ALTER TABLE users ADD COLUMN is_install_admin BIGINT NOT NULL DEFAULT 0 CHECK (is_install_admin IN (0, 1));
  ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
  ALTER TABLE devices ADD COLUMN last_seen_at BIGINT;
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE INDEX users_office ON users (office_id);
  `,
} satisfies Migration;
