import { describe, expect, it } from 'vitest';
import { MESSAGE_PRIORITY } from '../core/booking/model.ts';
import { LANGUAGES, type Language } from '../core/shared/model.ts';
import { CATALOGUES, createI18n } from '../server/i18n.ts';

/**
 * The four catalogues with the real i18next: counts take each language's plural forms, and every
 * catalogue has the same keys apart from those forms.
 */

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => flatten(v, prefix === '' ? k : `${prefix}.${k}`));
}

const keysOf = (lang: Language): string[] => flatten(CATALOGUES[lang]);

describe('plural forms', () => {
  const i18n = createI18n();
  const say = (lang: Language, key: string, count: number): string => i18n.getFixedT(lang)(key, { count });
  const counts = [0, 1, 2, 5, 21];

  it('Czech: one, few, many, other', () => {
    expect(counts.map((n) => say('cs', 'ticketPage.ahead', n))).toEqual([
      'Před vámi je 0 lidí',
      'Před vámi je 1 člověk',
      'Před vámi jsou 2 lidé',
      'Před vámi je 5 lidí',
      'Před vámi je 21 lidí',
    ]);
    expect(counts.map((n) => say('cs', 'portal.freePlaces', n))).toEqual(['0 volných míst', '1 volné místo', '2 volná místa', '5 volných míst', '21 volných míst']);
    expect(say('cs', 'kiosk.ahead', 3)).toBe('před vámi jsou 3 lidé');
    // "many" is Czech for fractions.
    expect(say('cs', 'portal.times', 1.5)).toBe('1.5 času');
  });

  it('Romanian: one, few, other ("de" from 20 on)', () => {
    expect(counts.map((n) => say('ro', 'ticketPage.ahead', n))).toEqual([
      '0 persoane înaintea dvs.',
      '1 persoană înaintea dvs.',
      '2 persoane înaintea dvs.',
      '5 persoane înaintea dvs.',
      '21 de persoane înaintea dvs.',
    ]);
    expect(counts.map((n) => say('ro', 'portal.freePlaces', n))).toEqual(['0 locuri libere', '1 loc liber', '2 locuri libere', '5 locuri libere', '21 de locuri libere']);
  });

  it('Chinese: one form', () => {
    expect(counts.map((n) => say('zh-CN', 'ticketPage.ahead', n))).toEqual(counts.map((n) => `前面还有 ${n} 人`));
    expect(say('zh-CN', 'portal.freePlaces', 1)).toBe('剩余 1 个名额');
  });

  it('English: one, other', () => {
    expect(counts.map((n) => say('en', 'ticketPage.ahead', n))).toEqual([
      '0 people ahead of you',
      '1 person ahead of you',
      '2 people ahead of you',
      '5 people ahead of you',
      '21 people ahead of you',
    ]);
    expect(counts.map((n) => say('en', 'portal.freePlaces', n))).toEqual(['0 places free', '1 place free', '2 places free', '5 places free', '21 places free']);
  });

  it('a counted key has exactly the forms its language needs, in every catalogue', () => {
    const counted = new Set(LANGUAGES.flatMap((l) => keysOf(l).filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, ''))));
    expect(counted.size).toBeGreaterThan(5);
    for (const lang of LANGUAGES) {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.filter((c) => c !== 'zero' && c !== 'two');
      const keys = new Set(keysOf(lang));
      for (const base of counted) {
        const has = [...keys].filter((k) => k.startsWith(`${base}_`) && PLURAL.test(k)).map((k) => PLURAL.exec(k)![1]);
        expect(has.sort(), `${lang} ${base}`).toEqual([...needed].sort());
      }
    }
  });
});

describe('the catalogues', () => {
  it('have the same keys, apart from plural forms', () => {
    const base = (lang: Language): string[] => [...new Set(keysOf(lang).map((k) => k.replace(PLURAL, '')))].sort();
    for (const lang of LANGUAGES) expect(base(lang), lang).toEqual(base('en'));
  });

  it('name every message kind on the outbox page, in every language', () => {
    // MESSAGE_PRIORITY has one entry per kind (the compiler holds it to the type): a kind added later is checked too.
    const kinds = Object.keys(MESSAGE_PRIORITY);
    expect(kinds).toContain('fee-refunded');
    for (const lang of LANGUAGES) {
      const keys = new Set(keysOf(lang));
      expect(kinds.filter((k) => !keys.has(`backoffice.outbox.kinds.${k}`)), lang).toEqual([]);
    }
  });
});

describe('Chinese punctuation', () => {
  it('is full-width inside Chinese text: no ASCII , . : ? ! ( ) beside a Chinese character (placeholders and addresses aside)', () => {
    const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef';
    const beside = new RegExp(`[${CJK}][,.:?!()]|[,.:?!()][${CJK}]`, 'u');
    const strings = (node: unknown, path = ''): [string, string][] =>
      typeof node === 'string' ? [[path, node]] : typeof node === 'object' && node !== null ? Object.entries(node).flatMap(([k, v]) => strings(v, path === '' ? k : `${path}.${k}`)) : [];
    const bad = strings(CATALOGUES['zh-CN'])
      .map(([path, text]) => [path, text.replace(/https?:\/\/\S+|\{\{[^}]+\}\}/g, 'x')] as const)
      .filter(([, text]) => beside.test(text))
      .map(([path, text]) => `${path}: ${text}`);
    expect(bad).toEqual([]);
  });
});
