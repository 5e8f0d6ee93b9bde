/**
 * A picture of a printed ticket, drawn from what the decoder read back from the ticket's own
 * ESC/POS bytes: rows at their character size, bold and alignment, the QR code as the printer's
 * QR engine would draw it, raster images dot for dot, and the cut. Pure: the same preview and
 * profile always give the same SVG. Not a second layout: everything placed here comes from a
 * command the printer received, so the picture cannot drift from the encoder.
 *
 * Units are printer dots. Font A is one column wide (paper dots / columns, 12 dots on both
 * profiles) and twice as high; CJK characters take two columns, as on the printer.
 */
import { encode } from 'uqr';
import type { PreviewRow, PrintedItem, RasterImage, TicketPreview } from './escpos.decoder.ts';
import type { PrinterProfile } from './profile.ts';

/** Blank paper left and right of the printable width, and above the first line. */
const MARGIN = 24;
/** Dots between two lines at normal size (ESC 2's default spacing less the 24-dot glyph). */
const LINE_GAP = 6;
/** A feed-and-cut (GS V 66) moves the paper about three lines past the last one before cutting. */
const CUT_FEED = 3;
const FONT = "'DejaVu Sans Mono', 'WenQuanYi Micro Hei Mono', 'WenQuanYi Micro Hei', monospace";

export interface TicketSvgOptions {
  /** Screen pixels per printer dot for the width/height attributes (the viewBox stays in dots). */
  scale?: number;
}

/** Columns a string takes on the printer: full-width (CJK) characters take two. */
export function printedColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += isWide(char.codePointAt(0) ?? 0) ? 2 : 1;
  return columns;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Left edge of something `width` dots wide under ESC a (0 left, 1 centre, 2 right). */
function alignedX(align: number, width: number, paperDots: number): number {
  const free = Math.max(0, paperDots - width);
  return MARGIN + (align === 1 ? free / 2 : align === 2 ? free : 0);
}

interface Cursor {
  y: number;
  parts: string[];
}

/** A line longer than the paper continues on the next one, as the printer wraps it. */
function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const char of text) {
    if (printedColumns(line + char) > columns) {
      lines.push(line);
      line = '';
    }
    line += char;
  }
  return [...lines, line];
}

function drawRow(row: PreviewRow, profile: PrinterProfile, at: Cursor): void {
  const cellWidth = profile.paper.dots / profile.paper.columns;
  const height = cellWidth * 2 * row.heightScale;
  for (const text of wrap(row.text, Math.max(1, Math.floor(profile.paper.columns / row.widthScale)))) {
    if (text.trim() !== '') {
      const width = printedColumns(text) * cellWidth * row.widthScale;
      const x = alignedX(row.align, width, profile.paper.dots);
      // The glyph's baseline sits about a fifth of the cell above its bottom.
      const baseline = at.y + height * 0.8;
      at.parts.push(
        `<text x="${x}" y="${baseline}" font-size="${height}" textLength="${width}" lengthAdjust="spacingAndGlyphs"` +
          ` font-weight="${row.isBold ? 'bold' : 'normal'}" data-width-scale="${row.widthScale}" data-height-scale="${row.heightScale}">${escapeXml(text)}</text>`,
      );
    }
    at.y += height + LINE_GAP;
  }
}

function drawQr(item: Extract<PrintedItem, { kind: 'qr' }>, profile: PrinterProfile, at: Cursor): void {
  const qr = encode(item.data, { ecc: item.level, border: 0 });
  const side = qr.size * item.moduleDots;
  const x0 = alignedX(item.align, side, profile.paper.dots);
  const m = item.moduleDots;
  let d = '';
  qr.data.forEach((row, y) =>
    row.forEach((isDark, x) => {
      if (isDark) d += `M${x0 + x * m} ${at.y + y * m}h${m}v${m}h-${m}z`;
    }),
  );
  at.parts.push(`<path class="qr" data-modules="${qr.size}" data-module-dots="${m}" data-x="${x0}" data-y="${at.y}" d="${d}"/>`);
  at.y += side + LINE_GAP;
}

function drawImage(image: RasterImage, align: number, profile: PrinterProfile, at: Cursor): void {
  const sx = image.mode & 1 ? 2 : 1;
  const sy = image.mode & 2 ? 2 : 1;
  const rowBytes = image.widthDots / 8;
  const x0 = alignedX(align, image.widthDots * sx, profile.paper.dots);
  let d = '';
  for (let y = 0; y < image.heightDots; y++) {
    // One rectangle per run of black dots.
    let run = -1;
    for (let x = 0; x <= image.widthDots; x++) {
      const isDark = x < image.widthDots && ((image.data[y * rowBytes + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
      if (isDark && run < 0) run = x;
      if (!isDark && run >= 0) {
        d += `M${x0 + run * sx} ${at.y + y * sy}h${(x - run) * sx}v${sy}h-${(x - run) * sx}z`;
        run = -1;
      }
    }
  }
  at.parts.push(`<path class="raster" d="${d}"/>`);
  at.y += image.heightDots * sy + LINE_GAP;
}

/** The ticket as an SVG document (a string to inline in a page or save as a file). */
export function ticketSvg(preview: TicketPreview, profile: PrinterProfile, options: TicketSvgOptions = {}): string {
  const scale = options.scale ?? 0.5;
  const lineHeight = (profile.paper.dots / profile.paper.columns) * 2 + LINE_GAP;
  const at: Cursor = { y: MARGIN, parts: [] };
  let cutY: number | null = null;
  for (const item of preview.items) {
    switch (item.kind) {
      case 'row':
        drawRow(item.row, profile, at);
        break;
      case 'qr':
        drawQr(item, profile, at);
        break;
      case 'image':
        drawImage(item.image, item.align, profile, at);
        break;
      case 'cut':
        at.y += CUT_FEED * lineHeight;
        cutY = at.y;
        break;
      default: {
        const never: never = item;
        throw new Error(`unhandled item ${JSON.stringify(never)}`);
      }
    }
  }
  const width = profile.paper.dots + 2 * MARGIN;
  const height = Math.ceil(cutY === null ? at.y + MARGIN : cutY + MARGIN / 2);
  const cut =
    cutY === null
      ? ''
      : `<line class="cut" x1="0" y1="${cutY}" x2="${width}" y2="${cutY}" stroke="#555" stroke-width="2" stroke-dasharray="12 8"/>` +
        `<text x="${width - 4}" y="${cutY - 6}" font-size="22" text-anchor="end" fill="#555">✂</text>`;
  const title = escapeXml(preview.lines.filter((l) => l.trim() !== '').join('\n'));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="printed-ticket" role="img" viewBox="0 0 ${width} ${height}" width="${Math.round(width * scale)}" height="${Math.round(height * scale)}">` +
    `<title>${title}</title><rect width="${width}" height="${height}" fill="#fffef6"/>` +
    `<g fill="#111" font-family="${FONT}" xml:space="preserve">${at.parts.join('')}</g>${cut}</svg>`
  );
}
