import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MESSAGE_PRIORITY, type MessageKind } from '../core/booking/model.ts';
import { LANGUAGES, type Language } from '../core/shared/model.ts';
import { CATALOGUES } from '../server/i18n.ts';
import { messageRenderer } from '../server/messages.ts';

/**
 * locales/GLOSSARY.md names one term per thing and language and the words never to use for it:
 * none of them may appear in a catalogue string, nor in an e-mail or SMS as the host renders it.
 */

const GLOSSARY = readFileSync(new URL('../locales/GLOSSARY.md', import.meta.url), 'utf8');

/** The "never" column of each language's table. */
function forbidden(lang: Language): string[] {
  const section = GLOSSARY.split(/^## /m).find((s) => s.startsWith(`${lang}\n`));
  if (section === undefined) throw new Error(`GLOSSARY.md has no section ${lang}`);
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*(term|---)/.test(l))
    .flatMap((l) => (l.split('|')[3] ?? '').split(','))
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => strings(v, path === '' ? k : `${path}.${k}`));
}

const PARAMS = {
  service: 'S',
  office: 'O',
  startAt: Date.UTC(2026, 11, 4, 8, 0),
  timeZone: 'Europe/Prague',
  number: 'N',
  kioskCode: '12345678',
  code: '123456',
  minutes: 15,
  url: 'https://x/portal/?confirm=t',
  cancelUrl: 'https://x/c',
  lookupUrl: 'https://x/l',
  host: 'x',
  day: '2026-12-04',
  until: '2027-01-01',
};

describe('the glossary', () => {
  it('lists forbidden words for every language', () => {
    for (const lang of LANGUAGES) expect(forbidden(lang).length, lang).toBeGreaterThanOrEqual(5);
  });

  it.each(LANGUAGES)('%s: no catalogue string uses a forbidden word', (lang) => {
    const words = forbidden(lang).map((w) => w.toLowerCase());
    const hits = strings(CATALOGUES[lang]).flatMap(([path, text]) => words.filter((w) => text.toLowerCase().includes(w)).map((w) => `${path}: "${w}" in ${text}`));
    expect(hits).toEqual([]);
  });

  it.each(LANGUAGES)('%s: no e-mail or SMS uses a forbidden word', async (lang) => {
    const render = messageRenderer();
    const words = forbidden(lang).map((w) => w.toLowerCase());
    const kinds = Object.keys(MESSAGE_PRIORITY) as MessageKind[];
    for (const kind of kinds) {
      for (const channel of ['email', 'sms'] as const) {
        for (const rule of [undefined, 'identity-cancel-all', 'ban']) {
          const m = await render(kind, channel, { to: 'a@b.c', language: lang, params: rule === undefined ? PARAMS : { ...PARAMS, rule } }, 'o1');
          const text = `${m.subject}\n${m.text}`.toLowerCase();
          expect(words.filter((w) => text.includes(w)), `${kind} ${channel}: ${text}`).toEqual([]);
        }
      }
    }
  });
});
