import type { Database } from 'better-sqlite3';
import { changeConfig } from '../../core/config/change.ts';
import type { OfficeConfigData } from '../../core/config/model.ts';
import { diffConfig } from '../../core/config/patch.ts';
import type { Clock } from '../../core/queue/ports.ts';
import { ok, type DomainError } from '../../core/shared/result.ts';
import { createI18n } from '../../server/i18n.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { SqliteConfigStore } from '../../store/office-config.store.ts';
import { filePartsStore, type FilePartsOptions, type PartRefusal } from './file-parts.ts';
import type { OfficeConfigGateway, ReplaceOutcome } from './office-file.ts';

/**
 * The office file on the config store: a whole configuration goes through `changeConfig`, the one
 * path of every change (validation, what is live, audit record via "file", `config:changed`). The
 * apply runs in one transaction of its own: an office the install does not have yet is created in
 * it (its row first, then the file as its first change), and a refusal or a dry run rolls all of
 * it back. The parts kept apart from the configuration (booking settings, templates, webhooks)
 * follow in the same transaction (file-parts.ts).
 */
export function officeGateway(db: Database, clock: Clock, options: FilePartsOptions = { publicUrl: 'http://127.0.0.1:3000' }): OfficeConfigGateway {
  const store = new SqliteConfigStore(db);
  const parts = filePartsStore(db, clock, options);
  const t = createI18n().getFixedT('en');
  /** The catalogue's message names the field itself ("“{{field}}”: …"); the file error puts its own in front. */
  const message = (error: DomainError): string => {
    const { field: _field, ...params } = error.params ?? {};
    return String(t(`errors.${error.code}`, { ...params, field: FIELD_MARK })).replace(`“${FIELD_MARK}”: `, '').replaceAll(FIELD_MARK, String(_field ?? ''));
  };
  const refused = (r: PartRefusal): ReplaceOutcome => ({ ok: false, path: r.path, message: 'message' in r ? r.message : message(r.error) });
  return {
    async read(officeId) {
      const config = (await store.load(officeId))?.config;
      return config === undefined ? null : { ...config, ...(await parts.read(officeId)) };
    },
    async replace(officeId, file, preview): Promise<ReplaceOutcome> {
      const { booking, templates, webhooks, ...next } = file;
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
        if (!outcome.ok) {
          db.exec('ROLLBACK');
          return { ok: false, path: String(outcome.error.params?.['field'] ?? ''), message: message(outcome.error) };
        }
        const applied = await parts.apply(officeId, { booking, templates, webhooks }, outcome.value.config, preview);
        db.exec(applied.ok && !preview ? 'COMMIT' : 'ROLLBACK');
        if (!applied.ok) return refused(applied.refusal);
        const affectedBookings = outcome.value.affectedBookings.map(({ number, serviceId, day, time, reason }) => ({ number, serviceId, day, time, reason }));
        return { ok: true, changeId: outcome.value.changeId, affectedBookings, secrets: applied.value.secrets };
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
