import { currentLang, isLang, LANG_NAMES, LANGS, setLang, t } from './i18n.ts';

/**
 * The DOM-building helpers of the pages not yet rendered with lit-html. Delete this file when
 * the last page is ported to the kit.
 */

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

/** A language picker (select) that re-renders the page through `onChange`. */
export function languagePickerElement(onChange: () => void): HTMLElement {
  const label = el('label', { class: 'lang' }, [t('ui.language') + ' ']);
  const select = el('select', { 'aria-label': t('ui.language') }) as HTMLSelectElement;
  for (const l of LANGS) {
    const o = el('option', { value: l }, [LANG_NAMES[l]]) as HTMLOptionElement;
    o.selected = l === currentLang();
    select.append(o);
  }
  select.addEventListener('change', () => {
    if (isLang(select.value)) void setLang(select.value).then(onChange);
  });
  label.append(select);
  return label;
}
