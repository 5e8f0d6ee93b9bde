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
const gateway = (db: Db) => officeGateway(db, systemClock, { publicUrl: 'https://fronta.kostelec.example', secrets: () => ({ newSecret: newWebhookSecret, seal: keyed.seal }) });

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
