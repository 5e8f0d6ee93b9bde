import i18next, { type TFunction } from 'i18next';
import { html, type TemplateResult } from 'lit-html';

export const LANGS = ['cs', 'ro', 'zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { cs: 'Čeština', ro: 'Română', 'zh-CN': '中文', en: 'English' };

const STORAGE_KEY = 'fronta.lang';

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

/**
 * One chunk per catalogue: a page downloads only the language it shows (and another only when
 * the reader switches). Every catalogue has the same keys (a test checks), so no fallback
 * language is loaded beside it.
 */
const CATALOGUES = import.meta.glob<Record<string, unknown>>('../../locales/*.json', { import: 'default' });

async function loadCatalogue(lang: Lang): Promise<Record<string, unknown>> {
  const load = CATALOGUES[`../../locales/${lang}.json`];
  if (load === undefined) throw new Error(`no catalogue for ${lang}`);
  return load();
}

/** ?lang= wins, then the language chosen earlier on this machine, then the browser's, then English. */
export function initialLang(): Lang {
  const q = new URLSearchParams(location.search).get('lang');
  if (isLang(q)) return q;
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLang(saved)) return saved;
  for (const l of navigator.languages) {
    const base = l.toLowerCase();
    if (base.startsWith('zh')) return 'zh-CN';
    const hit = LANGS.find((x) => x === base.split('-')[0]);
    if (hit !== undefined) return hit;
  }
  return 'en';
}

const i18n = i18next.createInstance();

/** Loads the first language; pages await it before their first render. */
export async function initI18n(lang: Lang = initialLang()): Promise<void> {
  await i18n.init({
    lng: lang,
    fallbackLng: false,
    resources: { [lang]: { translation: await loadCatalogue(lang) } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  applyDocumentLang(lang);
}

function applyDocumentLang(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.classList.toggle('cjk', lang === 'zh-CN');
}

export const t: TFunction = ((...args: Parameters<TFunction>) => i18n.t(...args)) as TFunction;

export function currentLang(): Lang {
  return isLang(i18n.language) ? i18n.language : 'en';
}

/**
 * Switches the page's language, loading its catalogue first. `remember` keeps the choice on this
 * machine (a kiosk's reader is a passer-by: it passes false).
 */
export async function setLang(lang: Lang, remember = true): Promise<void> {
  if (remember) localStorage.setItem(STORAGE_KEY, lang);
  if (!i18n.hasResourceBundle(lang, 'translation')) i18n.addResourceBundle(lang, 'translation', await loadCatalogue(lang));
  await i18n.changeLanguage(lang);
  applyDocumentLang(lang);
}

/** A language picker (select); `onChange` runs once the new language is loaded. */
export function languagePicker(onChange: () => void, langs: readonly Lang[] = LANGS): TemplateResult {
  return html`<label class="lang"
    >${t('ui.language')}
    <select
      aria-label=${t('ui.language')}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        if (isLang(v)) void setLang(v).then(onChange);
      }}
    >
      ${langs.map((l) => html`<option value=${l} ?selected=${l === currentLang()} lang=${l}>${LANG_NAMES[l]}</option>`)}
    </select></label
  >`;
}

/** Decimal places of a currency's minor unit (CZK, EUR: 2; JPY: 0); null for a code Intl does not know. */
export function minorDigits(currency: string): number | null {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return null;
  }
}

/** An amount in minor units of `currency` (fees are kept so), as the reader writes money: 2500 CZK → "25,00 Kč". */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorDigits(currency) ?? 2;
  return new Intl.NumberFormat(currentLang(), { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}

/** A number as the reader writes it ("1 024", "1,07"). */
export function formatNumber(n: number, opts: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(currentLang(), opts).format(n);
}

/** Formats an instant in an office's time zone for the reader's language ("4. 12. 2026 9:00"). */
export function formatDateTime(at: number, timeZone: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(currentLang(), { ...opts, timeZone }).format(at);
}
