import type { Database } from 'better-sqlite3';
import { LANGUAGES, type Language } from '../../core/shared/model.ts';
import type { FILE_PARTS, FileTemplatesT, FileWebhookT, OfficeFileT } from '../../contracts/office-file.ts';
import { bookingSettings, changeBookingSettings } from '../../core/booking/settings.ts';
import type { OfficeConfigData } from '../../core/config/model.ts';
import type { Clock } from '../../core/queue/ports.ts';
import type { DomainError } from '../../core/shared/result.ts';
import { TEMPLATE_KINDS, type Template, type TemplateKind, type TemplateOf } from '../../core/templates/model.ts';
import { previewTemplate } from '../../core/templates/preview.ts';
import { saveTemplate } from '../../core/templates/templates.ts';
import { checkTargetUrl } from '../../core/webhooks/address-policy.ts';
import type { WebhookSubscription } from '../../core/webhooks/model.ts';
import { pickName } from '../../server/routes/office.routes.ts';
import { sampleValues } from '../../server/templates.ts';
import { SqliteBookingSettings } from '../../store/booking/settings.store.ts';
import { SqliteEventLog } from '../../store/event-log.ts';
import { SqliteQueueStore } from '../../store/queue.store.ts';
import { SqliteRetentionStore } from '../../store/retention.store.ts';
import { SqliteTemplateStore } from '../../store/templates.store.ts';
import { SqliteWebhookStore } from '../../store/webhooks.store.ts';
import type { PathKey } from './parse.ts';

/**
 * The parts of the office file kept apart from the office's configuration: the online-booking
 * settings, the office's own templates and its webhook subscriptions. Each is read and written
 * through its own API's use case and store, so an apply is checked, and recorded, as the back
 * office's change of it is: booking settings by `changeBookingSettings` (a
 * `booking:settings-changed` event, via "cli"), templates by `saveTemplate` (the preview's check,
 * an audit record via "file"), webhooks by the address policy of the webhook API. Runs inside the
 * gateway's transaction.
 */

export type FileParts = Pick<OfficeFileT, (typeof FILE_PARTS)[number]>;

/** What writing a webhook needs from the host: a new signing secret, sealed with the install's key. */
export interface WebhookSecrets {
  newSecret(): string;
  seal(secret: string): string;
}

export interface FilePartsOptions {
  /** The public address links in messages start with (sample data of the template check). */
  publicUrl: string;
  /** Needed only when a file adds a webhook; absent: such a file is refused. */
  secrets?: (() => WebhookSecrets) | undefined;
  /** The host's test allowance for loopback webhook targets. */
  allowLoopback?: boolean | undefined;
}

/** A refusal of a part: the field in the file, and the catalogue's error (or, for what the catalogue has no code for, the words). */
export type PartRefusal = { path: PathKey[]; error: DomainError } | { path: PathKey[]; message: string };

type PartResult<T> = { ok: true; value: T } | { ok: false; refusal: PartRefusal };
const ok = <T>(value: T): PartResult<T> => ({ ok: true, value });
const fail = (refusal: PartRefusal): PartResult<never> => ({ ok: false, refusal });

export interface PartsApplied {
  /** Signing secrets of webhooks the file added: shown once, as the API shows them. */
  secrets: { webhookId: string; secret: string }[];
}

const sortedLanguages = <T>(m: Partial<Record<Language, T>>): Partial<Record<Language, T>> =>
  Object.fromEntries(LANGUAGES.filter((l) => m[l] !== undefined).map((l) => [l, m[l]]));

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const fileWebhook = (s: WebhookSubscription): FileWebhookT => ({ id: s.id, url: s.url, eventTypes: s.eventTypes, extraFields: s.extraFields, allowPrivate: s.allowPrivate });

export function filePartsStore(db: Database, clock: Clock, options: FilePartsOptions) {
  const bookings = new SqliteBookingSettings(db);
  const retention = new SqliteRetentionStore(db);
  const templates = new SqliteTemplateStore(db);
  const webhooks = new SqliteWebhookStore(db);
  const queue = new SqliteQueueStore(
    db,
    () => undefined,
    () => undefined,
  );
  const events = new SqliteEventLog(db);

  async function read(officeId: string): Promise<Required<FileParts>> {
    const settings = await bookingSettings({ bookings, retention }, officeId);
    const own: Record<string, Partial<Record<Language, Template>>> = {};
    for (const t of await templates.list(officeId)) (own[t.kind] ??= {})[t.language] = t.template;
    const byKind = Object.fromEntries(TEMPLATE_KINDS.filter((k) => own[k] !== undefined).map((k) => [k, sortedLanguages(own[k]!)])) as FileTemplatesT;
    const subs = (await webhooks.subscriptions(officeId)).map(fileWebhook).sort((a, b) => a.id.localeCompare(b.id));
    return { booking: { checkIn: settings.checkIn, rules: settings.rules, retentionDays: settings.retentionDays }, templates: byKind, webhooks: subs };
  }

  /** Checks the template of each kind and language the file changes; writes them unless `preview`. */
  async function applyTemplates(officeId: string, next: FileTemplatesT, config: OfficeConfigData, preview: boolean): Promise<PartResult<void>> {
    const office = await queue.getOffice(officeId);
    if (office === null) return fail({ path: [], error: { code: 'OFFICE_NOT_FOUND' } });
    const current = (await read(officeId)).templates as Partial<Record<TemplateKind, Partial<Record<Language, Template>>>>;
    const wanted = next as Partial<Record<TemplateKind, Partial<Record<Language, Template>>>>;
    for (const kind of TEMPLATE_KINDS) {
      for (const language of LANGUAGES) {
        const before = current[kind]?.[language] ?? null;
        const after = wanted[kind]?.[language] ?? null;
        if (same(before, after)) continue;
        // The sample the template API checks with, of the office as the file leaves it (its name, its first service's).
        const asFiled = { ...office, name: pickName(config.office.names, config.office.languages[0]!, office), timeZone: config.office.timeZone, languages: config.office.languages };
        const first = config.services[0];
        const sample = sampleValues(asFiled, first === undefined ? '—' : pickName(first.names, language, asFiled), language, options.publicUrl, clock.now());
        const where: PathKey[] = ['templates', kind, language];
        if (after !== null) {
          const checked = previewTemplate(kind, after as TemplateOf<typeof kind>, sample);
          if (!checked.ok) return refusal(where, checked.error);
        }
        if (preview) continue;
        const saved = await saveTemplate({ templates }, { officeId, kind, language, template: after, sample, now: clock.now(), userId: null, username: null, via: 'file' });
        if (!saved.ok) return refusal(where, saved.error);
      }
    }
    return ok(undefined);
  }

  /** Adds, changes and removes the office's subscriptions as the file lists them; a new one gets a new secret. */
  async function applyWebhooks(officeId: string, next: readonly FileWebhookT[], preview: boolean): Promise<PartResult<PartsApplied['secrets']>> {
    const current = new Map((await webhooks.subscriptions(officeId)).map((s) => [s.id, s]));
    const out: PartsApplied['secrets'] = [];
    const now = clock.now();
    for (const [i, w] of next.entries()) {
      if (next.findIndex((x) => x.id === w.id) < i) return fail({ path: ['webhooks', i, 'id'], error: { code: 'CONFIG_ID_TWICE', params: { id: w.id } } });
      const target = checkTargetUrl(w.url, { allowPrivate: w.allowPrivate, allowLoopback: options.allowLoopback ?? false });
      if (!target.ok) return fail({ path: ['webhooks', i, 'url'], error: { code: target.code } });
      const was = current.get(w.id);
      const want = { ...w, url: target.url, eventTypes: [...new Set(w.eventTypes)], extraFields: [...new Set(w.extraFields)] };
      if (was === undefined) {
        const elsewhere = await webhooks.subscription(w.id);
        if (elsewhere !== null) return fail({ path: ['webhooks', i, 'id'], error: { code: 'CONFIG_ID_TWICE', params: { id: w.id } } });
        if (options.secrets === undefined) return fail({ path: ['webhooks', i], message: "a new webhook needs the install's sealing key for its secret" });
        if (preview) continue;
        const keys = options.secrets();
        const secret = keys.newSecret();
        await webhooks.createSubscription({
          ...want,
          officeId,
          state: 'active',
          pausedReason: null,
          // From now on: a new endpoint is not sent the office's whole history.
          cursor: await events.lastEventId(officeId),
          sealedSecret: keys.seal(secret),
          createdAt: now,
          createdBy: 'file',
          updatedAt: now,
        });
        out.push({ webhookId: w.id, secret });
      } else if (!same(fileWebhook(was), want) && !preview) {
        await webhooks.updateSubscription(w.id, { url: want.url, eventTypes: want.eventTypes, extraFields: want.extraFields, allowPrivate: want.allowPrivate }, now);
      }
    }
    const kept = new Set(next.map((w) => w.id));
    if (!preview) for (const id of current.keys()) if (!kept.has(id)) await webhooks.deleteSubscription(id);
    return ok(out);
  }

  /**
   * Applies the parts a file holds (a part it leaves out is left as it is), after the office's
   * configuration is changed, in the caller's transaction. A preview checks and writes nothing.
   */
  async function apply(officeId: string, file: FileParts, config: OfficeConfigData, preview: boolean): Promise<PartResult<PartsApplied>> {
    if (file.booking !== undefined) {
      const current = await read(officeId);
      if (!same(current.booking, file.booking) && !preview) {
        const changed = await changeBookingSettings({ store: queue, bookings, retention, clock }, { officeId, userId: 'cli', via: 'cli', patch: file.booking });
        if (!changed.ok) return refusal(['booking'], changed.error);
      }
    }
    if (file.templates !== undefined) {
      const done = await applyTemplates(officeId, file.templates, config, preview);
      if (!done.ok) return done;
    }
    let secrets: PartsApplied['secrets'] = [];
    if (file.webhooks !== undefined) {
      const done = await applyWebhooks(officeId, file.webhooks, preview);
      if (!done.ok) return done;
      secrets = done.value;
    }
    return ok({ secrets });
  }

  return { read, apply };
}

/** A use case's error at a part of the file: the field it names (`sms`, `header`) under the part's path. */
function refusal(where: PathKey[], error: DomainError): PartResult<never> {
  const field = error.params?.['field'];
  return fail({ path: typeof field === 'string' ? [...where, field] : where, error });
}
