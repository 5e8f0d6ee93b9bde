import { expect, it } from 'vitest';
import { MemoryTemplateStore } from '../../core/templates/memory-store.ts';
import type { MessageTemplate, TicketTemplate } from '../../core/templates/model.ts';
import type { TemplateStore, TemplateWrite } from '../../core/templates/ports.ts';
import { saveTemplate, templateInForce, undoTemplateChange } from '../../core/templates/templates.ts';
import { PgTemplateStore } from '../../store/postgres/templates.store.ts';
import { SqliteTemplateStore } from '../../store/templates.store.ts';
import { eachStore } from './stores.ts';

/** An office's own templates over the defaults, each change audited (who, before → after) and undoable. */

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const DEFAULT_TICKET: TicketTemplate = { header: ['{{office}}'], footer: [], columns: 32 };
const defaults = (): TicketTemplate => DEFAULT_TICKET;
const OURS: TicketTemplate = { header: ['City Hall', '{{service}}'], footer: ['Thank you'], columns: 32 };
const SAMPLE = { office: 'City Hall', service: 'Passports', date: '24 Nov 2026' };
const MAIL: MessageTemplate = { subject: 'Your booking', text: 'See you', sms: 'See you', smsSegments: 1 };
const by = { userId: 'u-admin', username: 'admin', via: 'api' as const };

const write = (over: Partial<TemplateWrite>): TemplateWrite => ({
  officeId: 'o1', kind: 'ticket', language: 'en', template: OURS, at: T0, ...by, undoOf: null, ...over,
});

eachStore<TemplateStore>(
  {
    store: (o) => (o.dialect === 'sqlite' ? new SqliteTemplateStore(o.db) : new PgTemplateStore(o.db)),
    memory: () => new MemoryTemplateStore(),
  },
  (s, { concurrent }) => {
    it("a template the office never changed falls back to the default; its own, once saved, is the one in force (that language only)", async () => {
      const deps = { templates: s() };
      expect(await templateInForce(deps, 'o1', 'ticket', 'en', defaults)).toEqual(DEFAULT_TICKET);
      const saved = await saveTemplate(deps, { officeId: 'o1', kind: 'ticket', language: 'en', template: OURS, sample: SAMPLE, now: T0, ...by });
      expect(saved.ok).toBe(true);
      expect(await templateInForce(deps, 'o1', 'ticket', 'en', defaults)).toEqual(OURS);
      expect(await templateInForce(deps, 'o1', 'ticket', 'cs', defaults)).toEqual(DEFAULT_TICKET);
      expect(await templateInForce(deps, 'o2', 'ticket', 'en', defaults)).toEqual(DEFAULT_TICKET);
      expect(await s().list('o1')).toEqual([{ officeId: 'o1', kind: 'ticket', language: 'en', template: OURS }]);
    });

    it('a save is audited with who made it and the fields before → after; saving what is there records nothing', async () => {
      const first = await s().save(write({}));
      expect(first).toMatchObject({ officeId: 'o1', at: T0, userId: 'u-admin', username: 'admin', via: 'api', undoOf: null, kind: 'ticket', language: 'en', before: null, after: OURS });
      expect(first!.changes.length).toBeGreaterThan(0);
      expect(await s().save(write({ at: T0 + 1 }))).toBeNull();
      const second = await s().save(write({ template: { ...OURS, footer: [] }, at: T0 + 2 }));
      expect(second).toMatchObject({ before: OURS, after: { ...OURS, footer: [] } });
      expect(second!.id).toBeGreaterThan(first!.id);
      expect(await s().change('o1', first!.id)).toEqual(first);
      expect(await s().change('o2', first!.id)).toBeNull();
    });

    it('an undo restores what the change replaced — the default when there was none — and is audited as an undo of it', async () => {
      const deps = { templates: s() };
      const first = await s().save(write({}));
      await s().save(write({ template: { ...OURS, header: ['Town Hall'] }, at: T0 + 1 }));
      const second = (await s().changes('o1', 1))[0]!;
      const undone = await undoTemplateChange(deps, { officeId: 'o1', changeId: second.id, sample: SAMPLE, now: T0 + 2, userId: 'u-admin', username: 'admin' });
      expect(undone).toMatchObject({ ok: true, value: { via: 'undo', undoOf: second.id, after: OURS } });
      expect(await s().get('o1', 'ticket', 'en')).toEqual(OURS);
      await undoTemplateChange(deps, { officeId: 'o1', changeId: first!.id, sample: SAMPLE, now: T0 + 3, userId: 'u-admin', username: 'admin' });
      expect(await s().get('o1', 'ticket', 'en')).toBeNull();
      expect(await templateInForce(deps, 'o1', 'ticket', 'en', defaults)).toEqual(DEFAULT_TICKET);
      expect(await undoTemplateChange(deps, { officeId: 'o2', changeId: first!.id, sample: SAMPLE, now: T0 + 4, userId: null, username: null })).toMatchObject({
        ok: false,
      });
    });

    it.runIf(concurrent)("two admins saving the same template at once (on two hosts) take turns: the later audit's 'before' is the earlier's 'after'", async () => {
      const a = { ...OURS, footer: ['from A'] };
      const b = { ...OURS, footer: ['from B'] };
      await Promise.all([s().save(write({ template: a })), s().save(write({ template: b, userId: 'u-other' }))]);
      const [later, earlier] = await s().changes('o1', 2);
      expect(earlier!.before).toBeNull();
      expect(later!.before).toEqual(earlier!.after);
      expect(await s().get('o1', 'ticket', 'en')).toEqual(later!.after);
    });

    it("the office's changes page back newest first; another office's are not in them", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await s().save(write({ template: { ...OURS, footer: [`line ${i}`] }, at: T0 + i })))!.id);
      await s().save(write({ officeId: 'o2', kind: 'confirmed', template: MAIL }));
      const page1 = await s().changes('o1', 2);
      expect(page1.map((c) => c.id)).toEqual([ids[4], ids[3]]);
      const page2 = await s().changes('o1', 2, page1[1]!.id);
      expect(page2.map((c) => c.id)).toEqual([ids[2], ids[1]]);
      expect((await s().changes('o1', 10)).every((c) => c.officeId === 'o1')).toBe(true);
      expect(await s().list('o2')).toEqual([{ officeId: 'o2', kind: 'confirmed', language: 'en', template: MAIL }]);
    });
  },
);
