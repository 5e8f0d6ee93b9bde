import type { Page } from 'playwright-core';

/** Helpers of the kiosk's accessibility suites: axe-core runs, font sizes and targets measured in the page. */

export { axeViolations, WCAG_AA, type AxeViolation } from './axe.ts';

export interface TextSize {
  /** Position among the elements of #app, with tag and class: the same element in both modes. */
  key: string;
  text: string;
  fontPx: number;
}

/** Every element of #app that shows text of its own, with its computed font size; one pass in the page. */
export function textSizes(page: Page): Promise<TextSize[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#app *')].flatMap((el, i) => {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (own.length === 0) return [];
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return [];
      return [{ key: `${i}:${el.tagName}.${el.className}`, text: own.map((n) => n.textContent!.trim()).join(' '), fontPx: parseFloat(getComputedStyle(el).fontSize) }];
    }),
  );
}

export interface Target {
  text: string;
  width: number;
  height: number;
  /** Entirely inside the viewport and the topmost element at its centre. */
  isVisible: boolean;
}

/** Every button of the page with its size, measured in one pass (a live re-render cannot detach one in between). */
export function targets(page: Page): Promise<Target[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button')].map((b) => {
      const r = b.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const isInside = r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
      return { text: (b.textContent ?? '').trim(), width: r.width, height: r.height, isVisible: isInside && hit !== null && b.contains(hit) };
    }),
  );
}
