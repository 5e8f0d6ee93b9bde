import { describe, expect, it } from 'vitest';
import { TICKET_LOGO_MAX_BYTES } from '../core/config/limits.ts';
import { TicketLogo } from '../contracts/office-config.ts';
import { fitDots, fromBase64, isBlack, printSeconds, rasterBytes, toBase64, toRaster } from '../renderer/backoffice/ticket-raster.ts';

/**
 * The back office turns an image into the ticket logo in the browser: these are the sums it
 * does (size fitted, dots cut or dithered, time on the line), checked against the schema the
 * host accepts.
 */

/** RGBA pixels of one colour (`grey`, opaque unless `alpha`). */
const plain = (w: number, h: number, grey: number, alpha = 255): number[] => Array.from({ length: w * h }, () => [grey, grey, grey, alpha]).flat();
const blackDots = (r: Uint8Array): number => [...r].reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0);

describe('the ticket logo raster', () => {
  it('fits a picture into the printer’s limits, proportions kept, width a multiple of 8', () => {
    expect(fitDots(1000, 500, 576)).toEqual({ widthDots: 128, heightDots: 64 });
    for (const [w, h, want] of [
      [2000, 100, 576],
      [300, 300, 384],
      [640, 40, 576],
      [20, 10, 576],
    ] as const) {
      const size = fitDots(w, h, want)!;
      expect(size.widthDots % 8).toBe(0);
      expect(size.widthDots).toBeLessThanOrEqual(want);
      expect(rasterBytes(size)).toBeLessThanOrEqual(TICKET_LOGO_MAX_BYTES);
      expect(Math.abs(size.heightDots / size.widthDots - h / w)).toBeLessThan(0.05);
    }
    // A strip 100 times taller than wide has no size that fits.
    expect(fitDots(10, 1000, 576)).toBeNull();
  });

  it('prints the dark half of a picture and leaves the transparent and white parts to the paper', () => {
    const size = { widthDots: 16, heightDots: 2 };
    const rgba = Array.from({ length: 32 }, (_, i) => (i % 16 < 8 ? [10, 10, 10, 255] : i < 16 ? [250, 250, 250, 255] : [0, 0, 0, 0])).flat();
    const r = toRaster(rgba, size, 128, false);
    expect([...r]).toEqual([0xff, 0x00, 0xff, 0x00]);
    expect(isBlack(r, 16, 0, 0)).toBe(true);
    expect(isBlack(r, 16, 8, 1)).toBe(false);
  });

  it('a mid grey prints all or nothing at a threshold, and as about half the dots dithered', () => {
    const size = { widthDots: 64, heightDots: 64 };
    const grey = plain(64, 64, 128);
    expect(blackDots(toRaster(grey, size, 128, false))).toBe(0);
    expect(blackDots(toRaster(grey, size, 129, false))).toBe(64 * 64);
    const dithered = blackDots(toRaster(grey, size, 128, true));
    expect(dithered / (64 * 64)).toBeGreaterThan(0.4);
    expect(dithered / (64 * 64)).toBeLessThan(0.6);
  });

  it('is what the host accepts, and the largest one takes about 1.1 s at 9600 baud', () => {
    const size = fitDots(1000, 500, 576)!;
    const data = toBase64(toRaster(plain(size.widthDots, size.heightDots, 0), size, 128, false));
    expect(TicketLogo.safeParse({ kind: 'raster', ...size, data }).success).toBe(true);
    expect([...fromBase64(data)].every((b) => b === 0xff)).toBe(true);
    expect(printSeconds(size)).toBeCloseTo(((TICKET_LOGO_MAX_BYTES + 8) * 10) / 9600, 5);
    expect(printSeconds(size)).toBeLessThan(1.1);
  });
});
