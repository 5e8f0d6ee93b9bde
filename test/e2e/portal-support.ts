import { axeViolations } from './axe.ts';
import { createServer } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Helpers of the portal's Chromium suites: the host's message sinks, axe-core, a slow network. */


export interface Sinks {
  mails: { to: string[]; subject: string; text: string; attachments: string[] }[];
  sms: { to: string; text: string }[];
}

/** A free port, so the public address in the messages' links is the one that answers. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** What the host's built-in SMTP and SMPP servers received. */
export const sinks = async (base: string): Promise<Sinks> => (await (await fetch(`${base}/demo/messages.json`)).json()) as Sinks;

export async function waitForMessage<T>(base: string, what: string, probe: (s: Sinks) => T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const hit = probe(await sinks(base));
    if (hit !== undefined) return hit;
    if (Date.now() > until) throw new Error(`no ${what} arrived: ${JSON.stringify(await sinks(base))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** axe-core with the WCAG 2.1 A and AA rules on the page as it is: any violation fails. */
export async function axeAA(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** A phone on a slow line: every request takes at least 150 ms there and back (Chromium's own emulation). */
export async function slowNetwork(context: BrowserContext, page: Page, latencyMs = 150): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 });
}

/** Counts the page's requests by method and path (e.g. 'POST /api/v1/booking/holds'). */
export function countRequests(page: Page): Map<string, number> {
  const seen = new Map<string, number>();
  page.on('request', (r) => {
    const key = `${r.method()} ${new URL(r.url()).pathname}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  });
  return seen;
}
