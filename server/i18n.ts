import i18next, { type i18n, type TFunction } from 'i18next';
import type { ErrorCode } from '../core/shared/errors.ts';
import { LANGUAGES, type Language } from '../core/shared/model.ts';
import cs from '../locales/cs.json' with { type: 'json' };
import en from '../locales/en.json' with { type: 'json' };
import ro from '../locales/ro.json' with { type: 'json' };
import zhCN from '../locales/zh-CN.json' with { type: 'json' };

/**
 * A language's catalogue. Catalogues share their keys except for plural suffixes (`_one`, `_few`,
 * `_many`, `_other`), which each language has as its grammar needs (a test checks the rest).
 */
export type Catalogue = { errors: Record<ErrorCode, string> } & Record<string, unknown>;

export const CATALOGUES: Record<Language, Catalogue> = { cs, en, ro, 'zh-CN': zhCN };

/** One i18next instance per app (no global singleton), loaded synchronously from the catalogues. */
export function createI18n(): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: CATALOGUES[l] }])),
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance;
}

const ALIASES: Record<string, Language> = { zh: 'zh-CN', 'zh-cn': 'zh-CN', 'zh-hans': 'zh-CN', 'zh-sg': 'zh-CN' };

/** A supported language for a BCP 47 tag (`zh`, `cs-CZ`…), or null. */
export function asLanguage(tag: string): Language | null {
  const t = tag.trim().toLowerCase();
  if (t === '') return null;
  const alias = ALIASES[t];
  if (alias !== undefined) return alias;
  const exact = LANGUAGES.find((l) => l.toLowerCase() === t);
  if (exact !== undefined) return exact;
  const base = t.split('-')[0]!;
  return ALIASES[base] ?? LANGUAGES.find((l) => l === base) ?? null;
}

/** Best supported language of an Accept-Language header (q-values honoured), else `fallback`. */
export function negotiateLanguage(header: string | undefined, fallback: Language = 'en'): Language {
  if (header === undefined || header.length > 1000) return fallback;
  let best: Language | null = null;
  let bestQ = 0;
  for (const part of header.split(',')) {
    const [tag = '', ...params] = part.split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const lang = asLanguage(tag);
    if (lang !== null && Number.isFinite(q) && q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best ?? fallback;
}

export type Translate = TFunction;
