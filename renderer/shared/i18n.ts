import i18next, { type TFunction } from 'i18next';
import cs from '../../locales/cs.json';
import en from '../../locales/en.json';
import ro from '../../locales/ro.json';
import zhCN from '../../locales/zh-CN.json';

export const LANGS = ['cs', 'ro', 'zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { cs: 'Čeština', ro: 'Română', 'zh-CN': '中文', en: 'English' };

const STORAGE_KEY = 'fronta.lang';

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGS as readonly string[]).includes(v);

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
void i18n.init({
  initAsync: false,
  lng: initialLang(),
  fallbackLng: 'en',
  resources: { cs: { translation: cs }, en: { translation: en }, ro: { translation: ro }, 'zh-CN': { translation: zhCN } },
  interpolation: { escapeValue: false },
  showSupportNotice: false,
});

export const t: TFunction = ((...args: Parameters<TFunction>) => i18n.t(...args)) as TFunction;

export function currentLang(): Lang {
  return isLang(i18n.language) ? i18n.language : 'en';
}

export function setLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** A language picker (select) that re-renders the page through `onChange`. */
export function languagePicker(onChange: () => void): HTMLElement {
  const label = el('label', { class: 'lang' }, [t('ui.language') + ' ']);
  const select = el('select', { 'aria-label': t('ui.language') }) as HTMLSelectElement;
  for (const l of LANGS) {
    const o = el('option', { value: l }, [LANG_NAMES[l]]) as HTMLOptionElement;
    o.selected = l === currentLang();
    select.append(o);
  }
  select.addEventListener('change', () => {
    if (isLang(select.value)) setLang(select.value);
    onChange();
  });
  label.append(select);
  return label;
}

/** Builds an element; text children are set as text, never as HTML. */
export function el(tag: string, attrs: Record<string, string | boolean | undefined> = {}, children: (Node | string)[] = []): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) node.append(c);
  return node;
}
