import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { mountSmallDisk, type SmallDisk } from '../reliability/disk.ts';
import { ensurePagesBuilt, killHost, launchBrowser, startHost, type RunningHost } from './support.ts';

/**
 * The host's disk fills up: the kiosk page, told STORAGE_FULL, turns out of order instead of
 * failing client after client, and offers its services again a while after space came back.
 * `fronta serve --demo` on a small tmpfs (mounted by the test: skipped where it may not mount).
 */

const probe = mountSmallDisk(1);
const unavailable = 'unavailable' in probe;
if (!('unavailable' in probe)) probe.dispose();

let disk: SmallDisk | null = null;
let host: RunningHost | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  if (host !== undefined) await killHost(host);
  disk?.dispose();
});

describe('the kiosk page when the host cannot save', () => {
  it.skipIf(unavailable)('goes out of order on STORAGE_FULL and back after space returns', { timeout: 120_000 }, async () => {
    ensurePagesBuilt();
    const mounted = mountSmallDisk(32);
    if ('unavailable' in mounted) throw new Error(mounted.unavailable);
    disk = mounted;
    host = await startHost(disk.dir);
    const token = readDemoCredentials(disk.dir).kioskToken;
    browser = await launchBrowser();
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${host.url}/kiosk`);
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: /Pair|Spárovat/ }).click();
    const tile = page.locator('button.tile[data-service="cashier"]');
    await tile.waitFor();

    // Full: issue over the API until the host refuses (what still fits in the WAL goes first).
    disk.fill();
    const issue = async (): Promise<{ status: number; code?: string }> => {
      const res = await fetch(`${host!.url}/api/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ serviceId: 'cashier' }),
      });
      const body = (await res.json()) as { error?: { code: string } };
      return { status: res.status, ...(body.error === undefined ? {} : { code: body.error.code }) };
    };
    let refused: { status: number; code?: string } | null = null;
    for (let i = 0; i < 200 && refused === null; i++) {
      const r = await issue();
      if (r.status !== 201) refused = r;
    }
    expect(refused).toEqual({ status: 503, code: 'STORAGE_FULL' });

    await tile.click();
    await page.getByTestId('out-of-order').waitFor({ timeout: 10_000 });
    expect(await page.locator('button.tile').count()).toBe(0);

    // Space back: the host takes tickets at once; the kiosk offers them again by itself.
    disk.free();
    await expect.poll(async () => (await issue()).status, { timeout: 10_000 }).toBe(201);
    await tile.waitFor({ timeout: 45_000 });
  });
});
