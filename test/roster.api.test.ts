import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../core/shared/model.ts';
import { CATALOGUES } from '../server/i18n.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { envelopeProblems } from './helpers/error-envelope.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { firstSlot, holdAt, idPolicy, saveRules } from './helpers/rules.ts';

/**
 * Roster-gated booking (Qujing: "ID + name + phone must match the registration; the phone cannot
 * be changed online"): the admin's CSV import with its preview, bad files refused whole with line
 * numbers, and holds refused on any mismatch.
 */

let h: BookingTestHost;

const DAY = '2026-11-25';
const URL = '/api/v1/offices/o1/services/o1-s1/roster';
const ROSTER = [
  'document_number,name,phone',
  '530302199001011234,张三,+86 138 0000 1234',
  '53030219900202567X,李四,+8613900005678',
  'AB123456,Jana Nováková,+420 601 000 123',
].join('\n');

const post = (url: string, csv: unknown, lang = 'en', who = 'admin') =>
  h.app.inject({ method: 'POST', url, headers: { cookie: h.cookie(who), 'accept-language': lang }, payload: { csv } });
const rosterRows = () => h.sql('SELECT * FROM roster_entries ORDER BY identity_hash');

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeAll(async () => {
    h = await startBookingHost({ store, policies: [idPolicy('o1-s1'), idPolicy('o1-s2')], configure: (stores) => saveRules(stores, { serviceId: 'o1-s1', roster: true }) });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('roster import (admin)', () => {
    it('previews what changes without storing anything, applies the file whole, keeps documents only as keyed hashes', async () => {
      const preview = await post(`${URL}/preview`, ROSTER);
      expect(preview.statusCode, preview.body).toBe(200);
      expect(preview.json()).toMatchObject({ applied: false, rows: 3, changed: [], removed: [], unchanged: 0 });
      expect(preview.json().added.map((r: { line: number; name: string }) => [r.line, r.name])).toEqual([
        [2, '张三'],
        [3, '李四'],
        [4, 'Jana Nováková'],
      ]);
      expect(preview.json().added[0]).toMatchObject({ document: '••••••1234', phone: '+861•••••••234' });
      expect(await rosterRows()).toEqual([]);

      const applied = await post(URL, ROSTER);
      expect(applied.statusCode, applied.body).toBe(200);
      expect(applied.json()).toMatchObject({ applied: true, rows: 3 });
      expect(await rosterRows()).toHaveLength(3);
      const dump = JSON.stringify(await rosterRows());
      for (const clear of ['530302199001011234', '53030219900202567X', 'AB123456', '张三', 'Nováková', '+8613800001234', '13800001234']) expect(dump).not.toContain(clear);

      // The next file: one changed phone, one removed, one added, one unchanged.
      const next = ['document_number,name,phone', '530302199001011234,张三,+8613800001234', '53030219900202567X,李四,+8613900009999', 'CD987654,Eva Malá,+420601000456'].join('\n');
      const diff = (await post(`${URL}/preview`, next)).json();
      expect(diff).toMatchObject({ rows: 3, unchanged: 1, changed: [{ line: 3, name: '李四', fields: ['phone'] }], added: [{ line: 4, name: 'Eva Malá' }] });
      expect(diff.removed).toEqual([{ line: null, document: null, name: 'Jana Nováková', phone: '+420••••••123' }]);
      expect((await post(URL, next)).statusCode).toBe(200);
      expect(await rosterRows()).toHaveLength(3);
      expect((await post(URL, ROSTER)).json()).toMatchObject({ unchanged: 1, changed: [{ line: 3 }], added: [{ line: 4 }], removed: [{ name: 'Eva Malá' }] });
    });

    it('refuses a bad file with its line numbers, in the caller’s language, and changes nothing', async () => {
      const before = JSON.stringify(await rosterRows());
      const bad = `${ROSTER}\nEF111111,Ota,+420601000789\nGH2,Ida,+420601000790\nIJ333333,,+420601000791\nKL444444,Ema,12345`;
      for (const lang of ['en', 'cs', 'ro', 'zh-CN'] as const) {
        const res = await post(URL, bad, lang);
        expect(res.statusCode).toBe(400);
        expect(envelopeProblems({ statusCode: res.statusCode, headers: res.headers, body: res.body }, lang)).toEqual([]);
        expect(res.json().error.code).toBe('ROSTER_CSV_INVALID');
        expect(res.json().error.message).toContain('6, 7, 8');
      }
      expect((await post(URL, 'name;phone\nEva;+420601000001')).json().error.code).toBe('ROSTER_CSV_HEADER');
      expect((await post(URL, `${ROSTER}\n530302199001011234,张三,+8613800001234`)).json().error).toMatchObject({ code: 'ROSTER_CSV_DUPLICATE' });
      expect(JSON.stringify(await rosterRows())).toBe(before);
    });

    it('fuzzed files: never a 5xx, always the error envelope; a refused file leaves the roster as it was', async () => {
      const cell = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('"', ',', '\n', 'AB1234', 'XY98765', '+420601000001', '+8613800001234', 'Eva', '张三'));
      const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((c) => c.join(','));
      const file = fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.tuple(fc.array(row, { maxLength: 6 }), fc.constantFrom('\n', '\r\n')).map(([rows, eol]) => ['document_number,name,phone', ...rows].join(eol)),
      );
      await fc.assert(
        fc.asyncProperty(file, async (csv) => {
          const before = JSON.stringify(await rosterRows());
          const res = await post(URL, csv);
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode === 200) return;
          expect(envelopeProblems({ statusCode: res.statusCode, headers: res.headers, body: res.body }, 'en')).toEqual([]);
          expect(res.json().error.code).toMatch(/^(ROSTER_CSV_|VALIDATION_FAILED)/);
          expect(JSON.stringify(await rosterRows())).toBe(before);
        }),
        { numRuns: 150 },
      );
      await post(URL, ROSTER);
    });

    it('only an admin of the office imports; a file over the route’s limit is too large', async () => {
      expect((await post(URL, ROSTER, 'en', 'clerk1')).json().error.code).toBe('FORBIDDEN');
      expect((await h.app.inject({ method: 'POST', url: URL, payload: { csv: ROSTER } })).json().error.code).toBe('AUTH_REQUIRED');
      expect((await post('/api/v1/offices/o1/services/nope/roster', ROSTER)).json().error.code).toBe('SERVICE_NOT_FOUND');
      expect((await post(URL, 'x'.repeat(600 * 1024))).json().error.code).toBe('BODY_TOO_LARGE');
    });
  });

  describe('holds on a roster service', () => {
    const person = { name: '张三', email: 'zhang@example.org', phone: '+86 138 0000 1234', identityKey: '530302199001011234' };

    it('each mismatch is refused with its own clear answer; the phone on file cannot be changed', async () => {
      await post(URL, ROSTER);
      const slot = await firstSlot(h, 'o1-s1', DAY);
      const code = async (a: { [K in keyof typeof person]?: string | undefined }, lang = 'en') => {
        const res = await holdAt(h, slot, { ...person, ...a } as typeof person, lang);
        // A rule's refusal is the catalogue text (then the attempt's reference).
        const text = (c: string): string => (CATALOGUES[lang as Language].errors as Record<string, string>)[c] ?? '?';
        if (res.statusCode >= 400 && res.json().error.code.startsWith('ROSTER_')) expect(res.json().error.message.startsWith(text(res.json().error.code)), res.body).toBe(true);
        if (res.statusCode !== 201) return res.json().error.code;
        // One active booking per identity key: give the place back for the next attempt.
        await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${res.json().holdKey}/release` });
        return 'HELD';
      };
      expect(await code({ identityKey: undefined })).toMatch(/REQUIRED/);
      expect(await code({ identityKey: '530302199001019999' })).toBe('ROSTER_NOT_LISTED');
      expect(await code({ name: '张四' })).toBe('ROSTER_NAME_MISMATCH');
      expect(await code({ phone: '+86 138 0000 9999' }, 'zh-CN')).toBe('ROSTER_PHONE_MISMATCH');
      const qujing = await holdAt(h, slot, { ...person, phone: '+8613800009999' }, 'zh-CN');
      expect(qujing.json().error.message).toContain('当前手机号与报名时不符');
      expect(await code({ phone: undefined })).toBe('ROSTER_PHONE_MISMATCH');
      // Spacing, dashes and case do not matter; the same person is held.
      expect(await code({ identityKey: '5303 0219-9001 011234', phone: '0086 138-0000-1234' })).toBe('HELD');
      // A service without a roster does not ask.
      expect((await holdAt(h, await firstSlot(h, 'o1-s2', DAY), { name: 'Nobody', email: 'n@example.org', identityKey: 'ZZ999999' })).statusCode).toBe(201);
    });

    it('property: a hold is granted exactly when document, name and phone all match a roster row', async () => {
      await post(URL, ROSTER);
      const rows = [
        { identityKey: '530302199001011234', name: '张三', phone: '+8613800001234' },
        { identityKey: '53030219900202567X', name: '李四', phone: '+8613900005678' },
        { identityKey: 'AB123456', name: 'Jana Nováková', phone: '+420601000123' },
      ];
      const slot = await firstSlot(h, 'o1-s1', '2026-11-26');
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat(2),
          fc.record({ doc: fc.boolean(), name: fc.boolean(), phone: fc.boolean() }),
          fc.constantFrom((s: string) => s, (s: string) => s.toLowerCase(), (s: string) => ` ${s.toUpperCase()} `),
          async (i, wrong, vary) => {
            const r = rows[i]!;
            const other = rows[(i + 1) % rows.length]!;
            const a = {
              identityKey: wrong.doc ? `${r.identityKey.slice(0, -2)}00` : vary(r.identityKey),
              name: wrong.name ? other.name : vary(r.name),
              phone: wrong.phone ? other.phone : r.phone,
              email: `p${++n}@example.org`,
            };
            const res = await holdAt(h, slot, a);
            const matches = !wrong.doc && !wrong.name && !wrong.phone;
            if (matches) {
              expect(res.statusCode, res.body).toBe(201);
              await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${res.json().holdKey}/release` });
            } else {
              expect(res.statusCode, res.body).toBe(409);
              expect(res.json().error.code).toMatch(/^ROSTER_(NOT_LISTED|NAME_MISMATCH|PHONE_MISMATCH)$/);
            }
          },
        ),
        { numRuns: 120 },
      );
    });
  });
});
