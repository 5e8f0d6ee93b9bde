import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../core/shared/model.ts';
import { TEMPLATE_KINDS } from '../core/templates/model.ts';
import { previewTemplate } from '../core/templates/preview.ts';
import { defaultTemplate, sampleValues } from '../server/templates.ts';
import { testOffice } from './helpers/office.ts';

/** The defaults come from the catalogues (what Fronta sent before templates): each must pass the checks a saved template passes. */
describe('default templates', () => {
  it('every default renders with realistic sample data in every language: saving a default unchanged is never refused', () => {
    const office = testOffice().office;
    for (const lang of LANGUAGES) {
      for (const kind of TEMPLATE_KINDS) {
        const sample = sampleValues(office, 'Občanské průkazy a cestovní doklady', lang, 'https://fronta.mesto-kostelec.cz', Date.UTC(2026, 10, 23));
        expect(previewTemplate(kind, defaultTemplate(kind, lang) as never, sample).ok, `${kind} ${lang}`).toBe(true);
      }
    }
  });

});
