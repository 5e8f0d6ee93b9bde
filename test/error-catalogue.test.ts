import { describe, expect, it } from 'vitest';
import { ERROR_CODES, httpStatusOf } from '../core/shared/errors.ts';
import { LANGUAGES } from '../core/shared/model.ts';
import { CATALOGUES } from '../server/i18n.ts';

describe('error catalogue', () => {
  it('translates every code into every language, with the same placeholders', () => {
    for (const code of ERROR_CODES) {
      const en = CATALOGUES.en.errors[code];
      expect(en, code).toBeTruthy();
      const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      for (const lang of LANGUAGES) {
        const msg = (CATALOGUES[lang].errors as Record<string, string>)[code];
        expect(msg, `${lang} ${code}`).toBeTruthy();
        expect(placeholders(msg!), `${lang} ${code}`).toEqual(placeholders(en));
        if (lang !== 'en') expect(msg, `${lang} ${code} is still English`).not.toBe(en);
      }
    }
  });

  it('has no translation for a code that does not exist', () => {
    for (const lang of LANGUAGES) expect(Object.keys(CATALOGUES[lang].errors).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives every code a 4xx status, except the one for bugs, the full disk and the database out of reach (not the caller\'s doing)', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusOf(code);
      if (code === 'INTERNAL') expect(status).toBe(500);
      else if (code === 'STORAGE_FULL' || code === 'DATABASE_UNAVAILABLE') expect(status).toBe(503);
      else expect(status >= 400 && status < 500, code).toBe(true);
    }
  });
});
