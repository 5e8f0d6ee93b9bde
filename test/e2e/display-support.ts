/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, login, post } from './support.ts';

/** Helpers of the hall display's browser tests (and the display bench). */

/** Chromium as a TV starts it after a reboot when nobody added the autoplay flag: sound waits for a tap. */
export function launchBrowserWithoutAutoplay(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS.filter((a) => !a.startsWith('--autoplay-policy')),
  });
}

/** Pairs a browser context as a display over HTTP (the cookie lands in the context): no tap on the page. */
export async function pairDisplay(ctx: BrowserContext, base: string, token: string): Promise<void> {
  const res = await ctx.request.post(`${base}/api/v1/devices/pair`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status() !== 200) throw new Error(`pairing: ${res.status()}`);
}

/** Signs clerk1..clerk4 in and opens counters c1..c4; answers their session cookies by counter id. */
export async function openCounters(base: string): Promise<Record<string, string>> {
  const cookies: Record<string, string> = {};
  for (const n of [1, 2, 3, 4]) {
    const cookie = await login(base, `clerk${n}`);
    const r = await post(base, `/api/v1/counters/c${n}/open`, { cookie });
    if (r.status !== 200) throw new Error(`open c${n}: ${r.status}`);
    cookies[`c${n}`] = cookie;
  }
  return cookies;
}

/** The number shown large on a display, or null. */
export const shownNumber = (page: Page): Promise<string | null> => page.evaluate(() => document.querySelector('#now-call .number')?.textContent ?? null);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's WCAG 2.1 A and AA rules on the page as it is (evaluated, so a strict CSP does not stop it). */
export async function axeWcag21aa(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
    };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target[0])) }));
  });
}
