/**
 * One schema version. Its file is named `NNNN-what-it-does.ts` with NNNN = `version`; the index
 * lists the files in order and a test checks that the versions run 1, 2, 3… without a gap.
 */
export interface Migration {
  /** The value `PRAGMA user_version` holds once this migration has run. */
  version: number;
  /** Run in one transaction with the version bump. */
  sql: string;
  /** Rebuilds a table others reference (SQLite changes a CHECK no other way): foreign keys off around its transaction, checked before it commits. */
  foreignKeysOff?: boolean;
}
