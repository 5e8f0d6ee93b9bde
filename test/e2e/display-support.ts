import { axeViolations, type AxeViolation } from './axe.ts';
/// <reference lib="dom" />
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

/** axe-core's WCAG 2.1 A and AA rules on the page as it is. */
export const axeWcag21aa = (page: Page): Promise<AxeViolation[]> => axeViolations(page);
