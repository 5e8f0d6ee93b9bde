import { TICKET_LOGO_MAX_BYTES, TICKET_LOGO_MAX_HEIGHT_DOTS, TICKET_LOGO_MAX_WIDTH_DOTS } from '../../contracts/office-config.ts';

/**
 * An image turned into the ticket logo's raster (contracts/office-config.ts TicketLogo): one bit
 * per dot, 1 = black, rows of width/8 bytes — the size fitted within the printer's limits, the
 * grey levels cut at a threshold or spread by error diffusion (Floyd–Steinberg), so that what the
 * page previews is what the printer prints. Pure: the page reads the pixels from a canvas.
 */

/** `GS v 0 m xL xH yL yH`: the bytes before a raster's dots. */
const RASTER_HEADER_BYTES = 8;
/** A serial line at 8N1 sends 10 bits per byte. */
const BITS_PER_BYTE = 10;
export const PRINT_BAUD = 9600;

export interface DotSize {
  widthDots: number;
  heightDots: number;
}

/**
 * The largest size of an image of `srcW`×`srcH` pixels, its proportions kept, at most `wantWidth`
 * dots wide (a multiple of 8), that fits the ticket logo's limits (height, bytes). Null when even
 * the narrowest does not (a very tall image).
 */
export function fitDots(srcW: number, srcH: number, wantWidth: number): DotSize | null {
  if (srcW <= 0 || srcH <= 0) return null;
  for (let w = Math.floor(Math.min(wantWidth, TICKET_LOGO_MAX_WIDTH_DOTS) / 8) * 8; w >= 8; w -= 8) {
    const h = Math.max(1, Math.round((srcH * w) / srcW));
    if (h <= TICKET_LOGO_MAX_HEIGHT_DOTS && (w / 8) * h <= TICKET_LOGO_MAX_BYTES) return { widthDots: w, heightDots: h };
  }
  return null;
}

/**
 * The raster of RGBA pixels (`width`×`height`, as a canvas gives them): transparent counts as the
 * paper's white; darker than `threshold` (0–255) prints. With `dither`, each dot's rounding error
 * is passed on to its neighbours, so grey areas print as patterns rather than all or nothing.
 */
export function toRaster(rgba: ArrayLike<number>, size: DotSize, threshold: number, dither: boolean): Uint8Array {
  const { widthDots: w, heightDots: h } = size;
  const grey = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = (rgba[i * 4 + 3] ?? 255) / 255;
    const lum = 0.299 * (rgba[i * 4] ?? 0) + 0.587 * (rgba[i * 4 + 1] ?? 0) + 0.114 * (rgba[i * 4 + 2] ?? 0);
    grey[i] = lum * a + 255 * (1 - a);
  }
  const out = new Uint8Array((w / 8) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const old = grey[i] ?? 255;
      const black = old < threshold;
      const k = y * (w / 8) + (x >> 3);
      if (black) out[k] = (out[k] ?? 0) | (0x80 >> (x & 7));
      if (!dither) continue;
      const err = old - (black ? 0 : 255);
      const spread = (dx: number, dy: number, share: number): void => {
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && nx < w && ny < h) grey[ny * w + nx] = (grey[ny * w + nx] ?? 0) + (err * share) / 16;
      };
      spread(1, 0, 7);
      spread(-1, 1, 3);
      spread(0, 1, 5);
      spread(1, 1, 1);
    }
  }
  return out;
}

/** Whether the dot at (x, y) of a raster prints. */
export const isBlack = (raster: Uint8Array, widthDots: number, x: number, y: number): boolean => ((raster[y * (widthDots / 8) + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;

/** Seconds the logo takes on the serial line at `baud` (its header included). */
export const printSeconds = (size: DotSize, baud = PRINT_BAUD): number => ((RASTER_HEADER_BYTES + (size.widthDots / 8) * size.heightDots) * BITS_PER_BYTE) / baud;

export const rasterBytes = (size: DotSize): number => (size.widthDots / 8) * size.heightDots;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
