import type { Migration } from './migration.ts';

/**
 * A version number of the configuration, bumped by triggers on every change by anyone (the host,
 * the CLI in another process, an import), so the store can cache parsed configuration and know for
 * certain when the cache is stale.
 */
export default {
  version: 5,
  sql: `
  CREATE TABLE config_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT;
  INSERT INTO config_version (id, version) VALUES (1, 0);
  CREATE TRIGGER offices_insert_version AFTER INSERT ON offices BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER offices_update_version AFTER UPDATE ON offices BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER offices_delete_version AFTER DELETE ON offices BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER departments_insert_version AFTER INSERT ON departments BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER departments_update_version AFTER UPDATE ON departments BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER departments_delete_version AFTER DELETE ON departments BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER services_insert_version AFTER INSERT ON services BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER services_update_version AFTER UPDATE ON services BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER services_delete_version AFTER DELETE ON services BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER counters_insert_version AFTER INSERT ON counters BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER counters_update_version AFTER UPDATE ON counters BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER counters_delete_version AFTER DELETE ON counters BEGIN UPDATE config_version SET version = version + 1; END;
  `,
} satisfies Migration;
