/**
 * Ticket layout → ESC/POS bytes. Pure: the same ticket, profile and language always give the same
 * bytes (golden files pin them).
 *
 * Why our own encoder rather than receiptline's `transform()`: receiptline hard-codes the `ESC t`
 * table numbers (PC852 is always 18), while clones number their tables differently, so the number
 * has to come from the printer profile; its markup would need escaping of every client string;
 * and its preamble (`FS ( A`, `GS L`/`GS W`, `ESC {`, `GS 8 L` images) is more than cheap clones
 * understand and more than our decoder should know. We still use its QR matrix generator for the
 * raster fallback, and iconv-lite (which receiptline itself relies on) for the code pages.
 */
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import type { qrcode as QrCode } from 'receiptline';
import type { Language } from '../../core/shared/model.ts';
import type { PrinterProfile } from './profile.ts';

// receiptline is large and only clones need it (raster QR): loaded on the first such ticket, so a
// host whose printers draw their own QR codes never loads it. require() caches the module.
const require = createRequire(import.meta.url);

export type TicketEncoding = 'cp852' | 'gb18030';

/** Already translated into the ticket's language; the encoder adds only ": " and numbers. */
export interface TicketLabels {
  ahead: string;
  wait: string;
  /** Unit after the estimated wait, e.g. "min". */
  minutes: string;
  /** Printed instead of the estimate when there is none. */
  waitUnknown: string;
  /** Line under the QR code, e.g. "Scan to follow your turn". */
  scan: string;
}

export interface TicketPrint {
  officeName: string;
  serviceName: string;
  /** Ticket number as shown to the public, e.g. "A017". */
  number: string;
  /** Issue time already formatted in office-local time. */
  issuedAt: string;
  /** A booked arrival's line, already translated ("Booked 10:30"); absent for a walk-in. */
  booked?: string | undefined;
  /** People waiting before this ticket; a non-negative integer. */
  ahead: number;
  /** Estimated wait in whole minutes, null when the office has no estimate. */
  estimatedWaitMin: number | null;
  /** Public status page of the ticket, encoded in the QR code. */
  statusUrl: string;
  footer: string;
  /** The office's ticket template, when given: the top lines (the first bold) instead of `officeName`. */
  headerLines?: readonly string[] | undefined;
  /** …and the lines under the QR code instead of `footer`. */
  footerLines?: readonly string[] | undefined;
  labels: TicketLabels;
  /** The office's ticket logo, printed centred above its name (see TICKET_LOGO_MAX_BYTES for why it is small). */
  logo?: TicketLogoPrint | undefined;
}

/** A raster of one bit per dot (rows of widthDots / 8 bytes, 1 = black), or a logo kept in the printer's memory. */
export type TicketLogoPrint = { kind: 'raster'; widthDots: number; heightDots: number; data: Uint8Array } | { kind: 'stored'; key: string };

function logoBytes(logo: TicketLogoPrint): number[] {
  if (logo.kind === 'stored') {
    // GS ( L fn 69: print the NV graphics stored under key kc1 kc2, at normal size.
    return [GS, 0x28, 0x4c, 6, 0, 48, 69, logo.key.charCodeAt(0), logo.key.charCodeAt(1), 1, 1];
  }
  const rowBytes = logo.widthDots / 8;
  if (!Number.isInteger(rowBytes) || logo.data.length !== rowBytes * logo.heightDots) throw new RangeError('ticket logo: width/8 × height bytes');
  return [GS, 0x76, 0x30, 0, rowBytes & 0xff, rowBytes >> 8, logo.heightDots & 0xff, logo.heightDots >> 8, ...logo.data];
}

/** Longest QR payload accepted; a status URL is far shorter, so more is a configuration bug. */
export const MAX_QR_BYTES = 1000;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
/** GS ! n: width factor in the high nibble, height in the low one (n = factor − 1). */
const SIZE_NORMAL = 0x00;
const SIZE_QUAD = 0x33;

export function encodingFor(language: Language): TicketEncoding {
  switch (language) {
    case 'cs':
    case 'ro':
    case 'en':
      return 'cp852';
    case 'zh-CN':
      return 'gb18030';
    default: {
      const unknown: never = language;
      throw new Error(`no printer encoding for language ${String(unknown)}`);
    }
  }
}

/**
 * Makes configuration or client text safe to send: a control character in a name could switch
 * the printer into another mode or cut the paper. Line breaks and tabs become spaces so words do
 * not run together; every other C0, DEL and C1 character is dropped. NFC so that decomposed
 * accents (as typed on some systems) map onto the precomposed code page characters.
 */
export function sanitizePrintText(text: string): string {
  let clean = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029) clean += ' ';
    else if (code > 0x1f && (code < 0x7f || code > 0x9f)) clean += char;
  }
  return clean.normalize('NFC');
}

/**
 * Romanian ș ț Ș Ț (comma below) exist in no single-byte printer code page; the cedilla forms do
 * exist in PC852 and read the same to Romanian readers.
 */
export function toCedillaForms(text: string): string {
  return text.replace(/[\u0218-\u021b]/g, (c) => {
    switch (c) {
      case '\u0218':
        return '\u015e';
      case '\u0219':
        return '\u015f';
      case '\u021a':
        return '\u0162';
      default:
        return '\u0163';
    }
  });
}

/** Bytes of one text run; characters outside the code page become "?" (iconv-lite's choice). */
export function encodeText(text: string, encoding: TicketEncoding): Uint8Array {
  const clean = sanitizePrintText(text);
  return iconv.encode(encoding === 'cp852' ? toCedillaForms(clean) : clean, encoding);
}

export function encodeTicket(ticket: TicketPrint, profile: PrinterProfile, language: Language): Uint8Array {
  assertCount(ticket.ahead, 'ahead');
  if (ticket.estimatedWaitMin !== null) assertCount(ticket.estimatedWaitMin, 'estimatedWaitMin');
  const encoding = encodingFor(language);
  const out: number[] = [];
  // A loop, not push(...bytes): a raster QR is tens of thousands of bytes, too many arguments.
  const append = (bytes: Iterable<number>): void => {
    for (const b of bytes) out.push(b);
  };
  const command = (...bytes: number[]): void => {
    append(bytes);
  };
  const line = (text: string): void => {
    append(encodeText(text, encoding));
    out.push(LF);
  };
  const { labels } = ticket;
  const separator = '-'.repeat(profile.paper.columns);

  command(ESC, 0x40);
  if (encoding === 'cp852') {
    // FS . first: Chinese models power up in Kanji mode and ESC @ leaves them there.
    command(FS, 0x2e, ESC, 0x74, profile.codePages.cp852);
  } else {
    command(ESC, 0x74, profile.codePages.gb18030, FS, 0x26);
  }
  command(ESC, 0x61, 1);
  if (ticket.logo !== undefined) {
    append(logoBytes(ticket.logo));
    command(LF);
  }
  const [top = '', ...underTop] = ticket.headerLines ?? [ticket.officeName];
  command(ESC, 0x45, 1);
  line(top);
  command(ESC, 0x45, 0);
  for (const l of underTop) line(l);
  line(ticket.serviceName);
  line(separator);
  command(GS, 0x21, SIZE_QUAD);
  line(ticket.number);
  command(GS, 0x21, SIZE_NORMAL);
  if (ticket.booked !== undefined && sanitizePrintText(ticket.booked).trim() !== '') {
    command(ESC, 0x45, 1);
    line(ticket.booked);
    command(ESC, 0x45, 0);
  }
  line(ticket.issuedAt);
  line(separator);
  line(`${labels.ahead}: ${ticket.ahead}`);
  const wait = ticket.estimatedWaitMin === null ? labels.waitUnknown : `${ticket.estimatedWaitMin} ${labels.minutes}`;
  line(`${labels.wait}: ${wait}`);
  command(LF);
  append(profile.hasNativeQr ? nativeQr(qrPayload(ticket.statusUrl), profile) : rasterQr(ticket.statusUrl, profile));
  command(LF);
  line(labels.scan);
  for (const l of ticket.footerLines ?? [ticket.footer]) if (sanitizePrintText(l).trim() !== '') line(l);
  if (profile.hasCutter) {
    // GS V 66 0: feed to the cutter, then partial cut, so the last line is not cut through.
    command(GS, 0x56, 66, 0);
  } else {
    // Past the tear bar.
    command(ESC, 0x64, 4);
  }
  return Uint8Array.from(out);
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

function qrPayload(url: string): Uint8Array {
  const bytes = new TextEncoder().encode(sanitizePrintText(url));
  if (bytes.length === 0 || bytes.length > MAX_QR_BYTES) {
    throw new RangeError(`status URL must be 1..${MAX_QR_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** GS ( k, function 165/167/169/180/181: model 2, module size, level M, store, print (~100 bytes). */
function nativeQr(data: Uint8Array, profile: PrinterProfile): number[] {
  const store = data.length + 3;
  return [
    ...[GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0x00],
    ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, profile.qrModuleDots],
    ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31],
    ...[GS, 0x28, 0x6b, store & 0xff, store >> 8, 0x31, 0x50, 0x30],
    ...data,
    ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30],
  ];
}

/**
 * GS v 0 raster, the image command clones without a QR engine do understand (GS 8 L, which
 * receiptline uses, they often do not). Even module sizes are sent at half resolution with the
 * printer doubling both axes (m = 3): a quarter of the bytes, which is seconds at 9600 baud.
 */
function rasterQr(url: string, profile: PrinterProfile): number[] {
  qrPayload(url);
  const { qrcode } = require('receiptline') as { qrcode: typeof QrCode };
  const matrix = qrcode.generate({ data: sanitizePrintText(url), type: 'qrcode', cell: 1, level: 'm', quietZone: false });
  const modules = matrix.length;
  if (modules === 0) throw new RangeError('status URL does not fit a QR code');
  const scale = profile.qrModuleDots % 2 === 0 ? 2 : 1;
  const fitting = Math.floor(profile.paper.dots / (modules * scale));
  const cell = Math.max(1, Math.min(profile.qrModuleDots / scale, fitting));
  const width = modules * cell;
  const rowBytes = Math.ceil(width / 8);
  const out = [GS, 0x76, 0x30, scale === 2 ? 3 : 0, rowBytes & 0xff, rowBytes >> 8, width & 0xff, width >> 8];
  for (const row of matrix) {
    const bits = new Uint8Array(rowBytes);
    for (let x = 0; x < width; x++) {
      if (row[Math.floor(x / cell)] === 1) bits[x >> 3] = (bits[x >> 3] ?? 0) | (0x80 >> (x & 7));
    }
    for (let y = 0; y < cell; y++) for (const b of bits) out.push(b);
  }
  return out;
}
