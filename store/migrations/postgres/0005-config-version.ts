import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0005-config-version.ts. A version number of the configuration, bumped by triggers on every change by anyone (a host, the
 * CLI, an import), so a store can cache parsed configuration and know when the cache is stale. One
 * trigger per statement and table (SQLite: per row); only the change of the number matters.
 */
export default {
  version: 5,
  sql: `
  CREATE TABLE config_version (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
  INSERT INTO config_version (id, version) VALUES (1, 0);
  CREATE FUNCTION bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE config_version SET version = version + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER offices_version AFTER INSERT OR UPDATE OR DELETE ON offices FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
  CREATE TRIGGER departments_version AFTER INSERT OR UPDATE OR DELETE ON departments FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
  CREATE TRIGGER services_version AFTER INSERT OR UPDATE OR DELETE ON services FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
  CREATE TRIGGER counters_version AFTER INSERT OR UPDATE OR DELETE ON counters FOR EACH STATEMENT EXECUTE FUNCTION bump_config_version();
  `,
} satisfies Migration;
