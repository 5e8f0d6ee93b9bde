import type { Database } from 'better-sqlite3';
import { changeConfig } from '../../core/config/change.ts';
import type { OfficeConfigData } from '../../core/config/model.ts';
import { diffConfig } from '../../core/config/patch.ts';
import type { Clock } from '../../core/queue/ports.ts';
import { ok } from '../../core/shared/result.ts';
import { createI18n } from '../../server/i18n.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { SqliteConfigStore } from '../../store/office-config.store.ts';
import type { OfficeConfigGateway, ReplaceOutcome } from './office-file.ts';

/**
 * The office file on the config store: a whole configuration goes through `changeConfig`, the one
 * path of every change (validation, what is live, audit record via "file", `config:changed`). The
 * apply runs in one transaction of its own: an office the install does not have yet is created in
 * it (its row first, then the file as its first change), and a refusal or a dry run rolls all of
 * it back.
 */
export function officeGateway(db: Database, clock: Clock): OfficeConfigGateway {
  const store = new SqliteConfigStore(db);
  const t = createI18n().getFixedT('en');
  return {
    read: async (officeId) => (await store.load(officeId))?.config ?? null,
    async replace(officeId, next, preview): Promise<ReplaceOutcome> {
      db.exec('BEGIN IMMEDIATE');
      try {
        if ((await store.load(officeId)) === null) createEmptyOffice(db, next);
        const outcome = await changeConfig(
          { config: store },
          {
            officeId,
            build: (current) => ok(diffConfig(current, next).forward),
            preview,
            userId: null,
            via: 'file',
            allowed: () => true,
            now: clock.now(),
          },
        );
        db.exec(outcome.ok && !preview ? 'COMMIT' : 'ROLLBACK');
        if (outcome.ok) {
          const affectedBookings = outcome.value.affectedBookings.map(({ number, serviceId, day, time, reason }) => ({ number, serviceId, day, time, reason }));
          return { ok: true, changeId: outcome.value.changeId, affectedBookings };
        }
        const { field = '', ...params } = outcome.error.params ?? {};
        // The catalogue's message names the field itself ("“{{field}}”: …"); the file error puts its own in front.
        const message = String(t(`errors.${outcome.error.code}`, { ...params, field: FIELD_MARK })).replace(`“${FIELD_MARK}”: `, '');
        return { ok: false, path: String(field), message };
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    },
  };
}

const FIELD_MARK = '@field@';

/** The office's row and nothing else: the file's content arrives as its first change, validated and recorded like any. */
function createEmptyOffice(db: Database, c: OfficeConfigData): void {
  const name = c.office.names[c.office.languages[0]!] ?? c.id;
  saveOfficeConfig(db, {
    office: {
      id: c.id,
      name,
      timeZone: c.office.timeZone,
      languages: c.office.languages,
      hours: [[], [], [], [], [], [], []],
      closedDays: [],
      settings: { maxWaitMin: 0, maxRecalls: 0, defaultServiceMin: 5, priorityCategories: [] },
    },
    departments: [],
    services: [],
    counters: [],
  });
}
