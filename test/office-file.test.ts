import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { officeApply } from '../host/office-file/command.ts';
import { officeGateway } from '../host/office-file/gateway.ts';
import { applyOfficeFile, exportOffice } from '../host/office-file/office-file.ts';
import { renderOfficeFile } from '../host/office-file/render.ts';
import { seedDemo } from '../host/seed-demo.ts';
import { sqliteSeed } from '../host/stores.sqlite.ts';
import { nodeKeyed } from '../host/crypto.ts';
import { randomIds, systemClock } from '../host/system.ts';
import { newWebhookSecret } from '../host/webhooks.ts';
import { randomBytes } from 'node:crypto';
import { SqliteAccessStore } from '../store/access.store.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { startBookingHost } from './helpers/booking.ts';
import { sampleOfficeFile } from './helpers/office-config.ts';
import { firstSlot, holdAt } from './helpers/rules.ts';

/** A fresh data folder's database (a real SQLite file). */
function emptyDatabase(): Db {
  return openDatabase(join(mkdtempSync(join(tmpdir(), 'fronta-office-file-')), 'fronta.db'));
}

/** Every row of every table (or of those named): what "nothing changed" is compared by. */
function snapshot(db: Db, only?: readonly string[]): Record<string, unknown[]> {
  const tables = only ?? (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]);
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
}

/** The install's sealing key, as the CLI hands it over: new webhooks' secrets are sealed with it. */
const keyed = nodeKeyed({ current: randomBytes(32), previous: [] });
const gateway = (db: Db) => officeGateway(db, systemClock, { publicUrl: 'https://fronta.kostelec.example', secrets: () => ({ newSecret: newWebhookSecret, seal: (secret) => keyed.seal(secret) }) });

async function apply(db: Db, text: string, opts: { dryRun?: boolean; officeId?: string } = {}) {
  return applyOfficeFile(gateway(db), { text, fileName: 'office.yaml', dryRun: opts.dryRun ?? false, officeId: opts.officeId });
}

/** The line of `needle`, the first after the line holding `after` if given. */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
}

describe('the office file', () => {
  it('export → apply on an empty data folder → the same export, for the demo office', async () => {
    const demo = emptyDatabase();
    await seedDemo({ seed: sqliteSeed(demo), people: new SqliteAccessStore(demo) }, { ids: randomIds, clock: systemClock }, mkdtempSync(join(tmpdir(), 'fronta-demo-')));
    const exported = await exportOffice(gateway(demo), 'demo');
    expect(exported).not.toBeNull();

    const fresh = emptyDatabase();
    const outcome = await apply(fresh, exported!);
    expect(outcome.kind).toBe('applied');
    expect(await exportOffice(gateway(fresh), 'demo')).toBe(exported);
    // Applying what was exported changes nothing in the office it came from.
    const before = snapshot(demo);
    expect((await apply(demo, exported!)).kind).toBe('unchanged');
    expect(snapshot(demo)).toEqual(before);
  });

  it('applies a whole office as one change, recorded once; the same file again changes nothing and says so', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    const first = await apply(db, text);
    expect(first).toMatchObject({ kind: 'applied', officeId: 'kostelec' });
    expect(db.prepare(`SELECT via FROM config_changes WHERE office_id = 'kostelec'`).pluck().all()).toEqual(['file']);
    expect(await exportOffice(gateway(db), 'kostelec')).toBe(text);

    const before = snapshot(db);
    expect(await apply(db, text)).toEqual({ kind: 'unchanged', officeId: 'kostelec' });
    expect(snapshot(db)).toEqual(before);
  });

  it('a dry run of a changed file shows the difference and changes nothing', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    await apply(db, text);
    const changed = text
      .replace('dailyWalkInCapacity: 100 #', 'dailyWalkInCapacity: 150 #')
      .replace('  fri: { open: "08:00", close: "12:00", breaks: [] }', '  fri: null')
      .replace(/ {2}- id: c2\n(?: {4}.*\n)+/, '');
    const before = snapshot(db);
    const outcome = await apply(db, changed, { dryRun: true });
    expect(outcome.kind).toBe('previewed');
    if (outcome.kind !== 'previewed') return;
    expect(outcome.diff).toContain('hours (1 changed)\n  ~ hours.fri: { open: "08:00", close: "12:00", breaks: [] } → null\n');
    expect(outcome.diff).toContain('  ~ services[cashier].dailyWalkInCapacity: 100 → 150\n');
    expect(outcome.diff).toContain('counters (1 removed)\n  - counters[c2] (2)\n');
    expect(snapshot(db)).toEqual(before);

    const applied = await apply(db, changed);
    expect(applied.kind).toBe('applied');
    expect(await exportOffice(gateway(db), 'kostelec')).toBe(changed);
  });

  it('a file with a mistake is refused with its line and field, and nothing changes', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    await apply(db, text);
    const before = snapshot(db);

    const badPrefix = text.replace('prefix: V', 'prefix: v1');
    expect(await apply(db, badPrefix)).toEqual({ kind: 'refused', errors: [`office.yaml:${lineOf(badPrefix, 'prefix: v1')} services[2].prefix: 1 to 3 capital letters`] });

    // Past the schema, the office's own checks: a prefix used twice, at the line of the second.
    const twice = text.replace('prefix: V', 'prefix: P');
    const refused = await apply(db, twice);
    expect(refused.kind).toBe('refused');
    if (refused.kind === 'refused') expect(refused.errors).toEqual([`office.yaml:${lineOf(twice, 'prefix: P', 'id: vehicles')} services[2].prefix: the prefix P is already used by another service of the office.`]);
    expect(snapshot(db)).toEqual(before);
  });

  it('--office applies a file to another office than the one it names; in the same install its ids are refused, line and field', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    expect(await apply(db, text, { officeId: 'branch' })).toMatchObject({ kind: 'applied', officeId: 'branch' });
    expect(await exportOffice(gateway(db), 'branch')).toBe(text.replace('id: kostelec', 'id: branch'));
    // Ids are the install's: a second office of the same install cannot take the first one's, and nothing of it is created.
    const before = snapshot(db);
    expect(await apply(db, text, { officeId: 'third' })).toEqual({
      kind: 'refused',
      errors: [`office.yaml:${lineOf(text, '- id: dep-org')} departments[0].id: the id “dep-org” is used twice.`],
    });
    expect(snapshot(db)).toEqual(before);
  });

  it('every part of the file round trips through an empty folder, each recorded as the back office records it', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    const outcome = await apply(db, text);
    if (outcome.kind !== 'applied') throw new Error(JSON.stringify(outcome));
    // The webhook the file added has a new secret, shown this once and kept sealed with the install's key.
    expect(outcome.secrets).toEqual([{ webhookId: 'wh-erp', secret: expect.stringMatching(/^whsec_/) }]);
    const sealed = db.prepare(`SELECT sealed_secret FROM webhook_subscriptions WHERE id = 'wh-erp'`).pluck().get() as string;
    expect(keyed.open(sealed)).toBe(outcome.secrets[0]!.secret);
    expect(db.prepare(`SELECT kind || '/' || language || ' via ' || via FROM template_changes ORDER BY id`).pluck().all()).toEqual([
      'confirmed/cs via file',
      'confirmed/en via file',
      'ticket/cs via file',
    ]);
    const settings = db.prepare(`SELECT payload FROM events WHERE type = 'booking:settings-changed'`).pluck().all() as string[];
    expect(settings.map((p) => JSON.parse(p) as { via: string; changes: { field: string }[] })).toMatchObject([{ via: 'cli', changes: expect.arrayContaining([{ field: 'retentionDays', from: 30, to: 60 }]) }]);

    const exported = (await exportOffice(gateway(db), 'kostelec'))!;
    expect(exported).toBe(text);
    const copy = emptyDatabase();
    expect((await apply(copy, exported)).kind).toBe('applied');
    expect(await exportOffice(gateway(copy), 'kostelec')).toBe(exported);

    const before = snapshot(db);
    expect(await apply(db, exported)).toEqual({ kind: 'unchanged', officeId: 'kostelec' });
    // An address written otherwise than the office keeps it is the same address.
    expect(await apply(db, exported.replace('url: https://erp.kostelec.example/', 'url: HTTPS://ERP.Kostelec.example/'))).toEqual({ kind: 'unchanged', officeId: 'kostelec' });
    expect(snapshot(db)).toEqual(before);
  });

  it('a dry run shows changes to booking settings, templates and webhooks and changes nothing; the apply makes them', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    await apply(db, text);
    const changed = text
      .replace('retentionDays: 60 #', 'retentionDays: 90 #')
      .replace('subject: Booking {{number}} confirmed', 'subject: Booking {{number}} is confirmed')
      .replace('extraFields: [ bookingNumber ]', 'extraFields: []')
      .replace(/ {2}ticket:\n {4}cs:\n(?: {6}.*\n)+/, '');
    const before = snapshot(db);
    const dry = await apply(db, changed, { dryRun: true });
    if (dry.kind !== 'previewed') throw new Error(JSON.stringify(dry));
    expect(dry.diff).toContain('booking (1 changed)\n  ~ booking.retentionDays: 60 → 90\n');
    expect(dry.diff).toContain('templates (1 changed, 1 removed)\n  ~ templates.confirmed.en.subject: "Booking {{number}} confirmed" → "Booking {{number}} is confirmed"\n  - templates.ticket\n');
    expect(dry.diff).toContain('webhooks (1 changed)\n  ~ webhooks[wh-erp].extraFields: [ bookingNumber ] → []\n');
    expect(snapshot(db)).toEqual(before);

    expect((await apply(db, changed)).kind).toBe('applied');
    expect(await exportOffice(gateway(db), 'kostelec')).toBe(changed);
    // The ticket's lines are back to the default: its change recorded with nothing after it.
    expect(db.prepare(`SELECT after FROM template_changes WHERE kind = 'ticket' ORDER BY id DESC LIMIT 1`).pluck().get()).toBeNull();
  });

  it('a mistake in booking settings, a template or a webhook is refused with its line and field, and nothing changes', async () => {
    const db = emptyDatabase();
    const text = renderOfficeFile(sampleOfficeFile());
    await apply(db, text);
    const before = snapshot(db);
    const refusal = async (bad: string) => {
      const outcome = await apply(db, bad);
      expect(outcome.kind).toBe('refused');
      return outcome.kind === 'refused' ? outcome.errors : [];
    };
    const retention = text.replace('retentionDays: 60 #', 'retentionDays: 5 #');
    expect(await refusal(retention)).toEqual([`office.yaml:${lineOf(retention, 'retentionDays: 5')} booking.retentionDays: Too small: expected number to be >=10`]);
    const placeholder = text.replace('sms: "{{office}}: booking', 'sms: "{{name}}: booking');
    expect(await refusal(placeholder)).toEqual([
      `office.yaml:${lineOf(placeholder, '{{name}}')} templates.confirmed.en.sms: The template was not saved: "sms" uses the placeholder "name", which this message does not have. Available: office, service, time, number, kioskCode, lookupUrl, cancelUrl, orderNo.`,
    ]);
    const narrow = text.replace('columns: 48', 'columns: 16');
    expect((await refusal(narrow))[0]).toMatch(new RegExp(`^office\\.yaml:${lineOf(narrow, 'header: [')} templates\\.ticket\\.cs\\.header: .* the printer prints 16 per line\\.$`));
    const plain = text.replace('url: https://erp', 'url: http://erp');
    expect(await refusal(plain)).toEqual([`office.yaml:${lineOf(plain, 'url: http://erp')} webhooks[0].url: The webhook address must use HTTPS.`]);
    const twice = text.replace(/( {2}- id: wh-erp\n(?: {4}.*\n)+)/, '$1$1');
    expect(await refusal(twice)).toEqual([`office.yaml:${lineOf(twice, '- id: wh-erp', 'allowPrivate')} webhooks[1].id: the id “wh-erp” is used twice.`]);
    const misspelt = text.replace('    lateMin: 10 #', '    lateMinutes: 10 #');
    expect(await refusal(misspelt)).toContain(`office.yaml:${lineOf(misspelt, 'lateMinutes')} booking.checkIn.lateMinutes: unknown field (misspelt?)`);
    expect(snapshot(db)).toEqual(before);
  });

  it('a dry run that closes a day with a booking names the booking the office must move or cancel', async () => {
    const h = await startBookingHost();
    try {
      const held = await holdAt(h, await firstSlot(h, 'o1-s1', '2026-11-23'), { name: 'Jana Nováková', email: 'jana@example.test' });
      expect(held.statusCode, held.body).toBe(201);
      const gateway = officeGateway(h.db, h.clock);
      const text = (await exportOffice(gateway, 'o1'))!;
      const file = join(mkdtempSync(join(tmpdir(), 'fronta-office-file-')), 'office.yaml');
      writeFileSync(file, text.replace('  closedDays:\n', '  closedDays:\n    - date: "2026-11-23"\n'));
      // The booking host's own timers may write (slots, the outbox): compare what a configuration change could touch.
      const touched = ['offices', 'departments', 'services', 'counters', 'booking_policies', 'service_rules', 'config_changes', 'bookings', 'events'];
      const before = snapshot(h.db, touched);
      const result = await officeApply(gateway, { file, dryRun: true });
      expect(result.stdout).toContain('  + calendar.closedDays[2026-11-23]: { date: "2026-11-23" }\n');
      expect(result.stdout).toMatch(/1 booking would be left without their time: move or cancel it in the back office\n {2}\w+ {2}o1-s1 {2}2026-11-23 \d\d:\d\d {2}\(the day is closed\)\n$/);
      expect(result.stdout).not.toContain('Jana');
      expect(snapshot(h.db, touched)).toEqual(before);
    } finally {
      await h.close();
    }
  });
});
