import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../drivers/printer/escpos.decoder.ts';
import { encodeTicket } from '../../drivers/printer/escpos.encoder.ts';
import { ticketSvg } from '../../drivers/printer/escpos.svg.ts';
import { loadProfile } from '../../drivers/printer/profile.ts';
import { sampleTickets } from '../../drivers/printer/ticket.fixtures.ts';
import { launchBrowser, SCREENSHOTS } from './support.ts';

/**
 * The picture of a printed ticket as Chromium draws it: fixture tickets encoded to ESC/POS,
 * decoded back, drawn as SVG, photographed into artifacts/screenshots/ — and the QR code in the
 * photograph read by a QR reader (jsQR) gives the ticket's status URL, for the printer's own QR
 * engine (80 mm Epson) and for the raster fallback (58 mm clone).
 */

const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('a printed ticket’s picture in Chromium', () => {
  for (const [lang, model] of [['cs', 'epson-tm-t20'], ['zh-CN', 'epson-tm-t20'], ['en', 'generic-58mm']] as const) {
    it(`${lang} on ${model}: photographed, its QR code reads back the status URL`, async () => {
      const profile = await loadProfile(model);
      const svg = ticketSvg(decodeEscPos(encodeTicket(sampleTickets[lang], profile, lang), profile), profile);
      const page = await browser.newPage({ viewport: { width: 600, height: 1400 } });
      await page.setContent(`<!doctype html><html><body>${svg}</body></html>`);
      const png = await page.locator('svg').screenshot({ path: join(SCREENSHOTS, `printed-ticket-${model}-${lang}.png`) });
      await page.addScriptTag({ path: JSQR });
      const read = await page.evaluate(async (dataUrl) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const pixels = ctx.getImageData(0, 0, img.width, img.height);
        const jsQR = (window as unknown as { jsQR: (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null }).jsQR;
        return jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
      }, `data:image/png;base64,${png.toString('base64')}`);
      expect(read).toBe(sampleTickets[lang].statusUrl);
      await page.close();
    });
  }
});
