import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createUser } from '../../server/provisioning.ts';
import { SqliteAccessStore } from '../../store/access.store.ts';
import { openDatabase } from '../../store/database.ts';
import { expectAccessible } from './axe.ts';
import { PASSWORD, SCREENSHOTS, seedOffice, type Seeded } from './support.ts';

/** The back-office suites' helpers: the demo office with an admin (`chief`), signing in, a section opened, a screenshot per language. */

export const ADMIN = 'chief';

/** seedOffice's office and people, plus an admin of the office. */
export async function seedBackoffice(dataDir: string): Promise<Seeded> {
  const seeded = await seedOffice(dataDir);
  const db = openDatabase(join(dataDir, 'fronta.db'));
  try {
    const deps = { clock: { now: () => Date.now() }, ids: { ticketId: () => 'unused', entityId: (p: string) => `${p}_bo_admin` } };
    await createUser(new SqliteAccessStore(db), deps, { officeId: 'demo', username: ADMIN, password: PASSWORD, role: 'admin', displayName: 'Chief', passwordCostLog2: 10 });
  } finally {
    db.close();
  }
  return seeded;
}

/** A new page in `lang`, signed in to the back office as `username`, the navigation drawn. */
export async function openBackoffice(browser: Browser, base: string, username: string, lang = 'en'): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'zh-CN' ? 'zh-CN' : 'en-GB' })).newPage();
  await page.goto(`${base}/backoffice/?lang=${lang}`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('form.login button');
  await page.waitForSelector('nav.sections a');
  return page;
}

/** Opens a section by its link (as a reader would) and waits for its heading. */
export async function openSection(page: Page, id: string): Promise<void> {
  await page.click(`nav.sections a[data-section="${id}"]`);
  await page.waitForSelector(`main[data-open="${id}"]`);
  await expect.poll(() => page.evaluate(() => document.querySelector('main')?.getAttribute('aria-busy') ?? 'false')).toBe('false');
}

/** The section in each language the issue asks for: screenshot and axe (WCAG 2.1 AA), nothing to fix. */
export async function screenshotSection(page: Page, id: string, lang: string): Promise<void> {
  await expectAccessible(page, `${id} (${lang})`);
  await page.screenshot({ path: join(SCREENSHOTS, `backoffice-${id}-${lang}.png`), fullPage: true });
}
