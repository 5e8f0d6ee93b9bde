import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * axe-core in the browser suites. It is evaluated over the DevTools protocol, never added as a
 * <script> tag: every page runs under a CSP that allows no inline script.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is: every rule, or only some tags or named rules; answers every violation. */
export async function axeViolations(page: Page, only: { tags: string[] } | { rules: string[] } | 'all' = { tags: WCAG_AA }): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const runOnly = only === 'all' ? null : 'tags' in only ? { type: 'tag', values: only.tags } : { type: 'rule', values: only.rules };
  return page.evaluate(async (runOnly) => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] }> } };
    const r = await w.axe.run(document, { ...(runOnly === null ? {} : { runOnly }), resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, runOnly);
}

/** axe-core's WCAG 2.1 A and AA rules (or the tags given) on the page as it is: any violation fails. */
export async function expectAccessible(page: Page, label: string, tags: readonly string[] = WCAG_AA): Promise<void> {
  const violations = await axeViolations(page, { tags: [...tags] });
  expect(violations, `${label}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}
