/**
 * Reads back exactly the ESC/POS subset that the encoder and the serial transport emit, for the
 * virtual printer and for tests that assert what a ticket says. Anything else is an error, so an
 * encoder change that the decoder does not know fails loudly instead of printing garbage.
 */
import iconv from 'iconv-lite';
import type { PrinterProfile } from './profile.ts';

export type EscPosToken =
  | { kind: 'text'; bytes: Uint8Array }
  | { kind: 'line-feed' }
  | { kind: 'init' }
  | { kind: 'code-table'; table: number }
  | { kind: 'kanji'; isOn: boolean }
  | { kind: 'align'; align: number }
  | { kind: 'bold'; isOn: boolean }
  | { kind: 'size'; width: number; height: number }
  | { kind: 'feed'; lines: number }
  | { kind: 'qr'; fn: number; params: Uint8Array }
  | { kind: 'raster'; mode: number; widthDots: number; heightDots: number; data: Uint8Array }
  | { kind: 'cut' }
  | { kind: 'paper-status'; n: number }
  | { kind: 'realtime-status'; n: number };

export interface ReadToken {
  token: EscPosToken;
  /** Offset just past the token. */
  end: number;
}

export class EscPosDecodeError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'EscPosDecodeError';
    this.offset = offset;
  }
}

/**
 * The token at `at`, or null when the buffer ends inside it (a serial reader then waits for more
 * bytes). A text token runs to the next byte below 0x20 or to the end of the buffer, so a
 * multi-byte character may be split across two text tokens: PreviewBuilder joins them.
 */
export function readToken(buf: Uint8Array, at: number): ReadToken | null {
  const b0 = buf[at];
  if (b0 === undefined) return null;
  if (b0 >= 0x20) {
    let end = at + 1;
    while (end < buf.length && (buf[end] ?? 0) >= 0x20) end++;
    return { token: { kind: 'text', bytes: buf.subarray(at, end) }, end };
  }
  if (b0 === 0x0a) return { token: { kind: 'line-feed' }, end: at + 1 };
  const b1 = buf[at + 1];
  if (b1 === undefined) return null;
  const arg = buf[at + 2];
  const withArg = (token: EscPosToken): ReadToken | null => (arg === undefined ? null : { token, end: at + 3 });
  const a = arg ?? 0;
  if (b0 === 0x1b) {
    switch (b1) {
      case 0x40:
        return { token: { kind: 'init' }, end: at + 2 };
      case 0x74:
        return withArg({ kind: 'code-table', table: a });
      case 0x61:
        return withArg({ kind: 'align', align: a % 48 });
      case 0x45:
        return withArg({ kind: 'bold', isOn: (a & 1) === 1 });
      case 0x64:
        return withArg({ kind: 'feed', lines: a });
    }
  } else if (b0 === 0x1c) {
    if (b1 === 0x26) return { token: { kind: 'kanji', isOn: true }, end: at + 2 };
    if (b1 === 0x2e) return { token: { kind: 'kanji', isOn: false }, end: at + 2 };
  } else if (b0 === 0x10) {
    if (b1 === 0x04) return withArg({ kind: 'realtime-status', n: a });
  } else if (b0 === 0x1d) {
    switch (b1) {
      case 0x21:
        return withArg({ kind: 'size', width: (a >> 4) + 1, height: (a & 0x0f) + 1 });
      case 0x72:
        return withArg({ kind: 'paper-status', n: a });
      case 0x56:
        return readCut(buf, at);
      case 0x28:
        return readQr(buf, at);
      case 0x76:
        return readRaster(buf, at);
    }
  }
  throw new EscPosDecodeError(`unknown command 0x${hex(b0)} 0x${hex(b1)}`, at);
}

/** GS V m (m = 0, 1, 48, 49) or GS V m n (m = 65, 66). */
function readCut(buf: Uint8Array, at: number): ReadToken | null {
  const m = buf[at + 2];
  if (m === undefined) return null;
  if (m === 0 || m === 1 || m === 48 || m === 49) return { token: { kind: 'cut' }, end: at + 3 };
  if (m === 65 || m === 66) return at + 3 < buf.length ? { token: { kind: 'cut' }, end: at + 4 } : null;
  throw new EscPosDecodeError(`unknown cut mode ${m}`, at);
}

/** GS ( k pL pH cn fn params: only cn = 49 (QR Code). */
function readQr(buf: Uint8Array, at: number): ReadToken | null {
  if (at + 4 >= buf.length) return null;
  if (buf[at + 2] !== 0x6b) throw new EscPosDecodeError('unknown GS ( function', at);
  const length = (buf[at + 3] ?? 0) | ((buf[at + 4] ?? 0) << 8);
  const end = at + 5 + length;
  if (end > buf.length) return null;
  if (length < 2 || buf[at + 5] !== 0x31) throw new EscPosDecodeError('GS ( k for a symbol other than QR', at);
  return { token: { kind: 'qr', fn: buf[at + 6] ?? 0, params: buf.subarray(at + 7, end) }, end };
}

/** GS v 0 m xL xH yL yH d1…dk with k = x·y. */
function readRaster(buf: Uint8Array, at: number): ReadToken | null {
  if (at + 7 >= buf.length) return null;
  if (buf[at + 2] !== 0x30) throw new EscPosDecodeError('unknown GS v function', at);
  const mode = (buf[at + 3] ?? 0) % 48;
  const rowBytes = (buf[at + 4] ?? 0) | ((buf[at + 5] ?? 0) << 8);
  const rows = (buf[at + 6] ?? 0) | ((buf[at + 7] ?? 0) << 8);
  const end = at + 8 + rowBytes * rows;
  if (end > buf.length) return null;
  const data = buf.subarray(at + 8, end);
  return { token: { kind: 'raster', mode, widthDots: rowBytes * 8, heightDots: rows, data }, end };
}

export interface PreviewRow {
  text: string;
  widthScale: number;
  heightScale: number;
  isBold: boolean;
  /** 0 left, 1 centre, 2 right. */
  align: number;
}

export interface RasterImage {
  widthDots: number;
  heightDots: number;
  /** GS v 0 mode: 0 normal, 1 double width, 2 double height, 3 both. */
  mode: number;
  data: Uint8Array;
}

/** QR error correction level, as `GS ( k` function 169 selects it (48..51). */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/** What came out of the printer, in paper order: enough to draw the ticket as it looks. */
export type PrintedItem =
  | { kind: 'row'; row: PreviewRow }
  | { kind: 'qr'; data: string; moduleDots: number; level: QrLevel; align: number }
  | { kind: 'image'; image: RasterImage; align: number }
  | { kind: 'cut' };

export interface TicketPreview {
  /** One string per printed line, blank lines included. */
  lines: string[];
  /** The same lines with the style they started with. */
  rows: PreviewRow[];
  /** Payloads of the QR codes printed by `GS ( k` (decoded as UTF-8). */
  qr: string[];
  /** Raster images (a fallback QR is one). */
  images: RasterImage[];
  cut: boolean;
  /** Rows, QR codes, images and the cut in the order they were printed. */
  items: PrintedItem[];
}

const QR_LEVELS: readonly QrLevel[] = ['L', 'M', 'Q', 'H'];

/**
 * Turns tokens into a preview. Keeps the printer's state (code table, Kanji mode, size) like the
 * printer would; ESC t numbers are interpreted through the profile, as the printer model would.
 */
export class PreviewBuilder {
  readonly #tables: ReadonlyMap<number, string>;
  readonly #preview: TicketPreview = { lines: [], rows: [], qr: [], images: [], cut: false, items: [] };
  #table = 0;
  #isKanji = false;
  #isBold = false;
  #align = 0;
  #size = { width: 1, height: 1 };
  #line = '';
  #rowStyle: Omit<PreviewRow, 'text'> | null = null;
  #pending: number[] = [];
  #qrData: Uint8Array | null = null;
  /** Epson's power-on defaults for the QR module size and error correction. */
  #qrModuleDots = 3;
  #qrLevel: QrLevel = 'L';

  constructor(profile: PrinterProfile) {
    this.#tables = new Map([
      [0, 'cp437'],
      [profile.codePages.cp852, 'cp852'],
    ]);
  }

  push(token: EscPosToken): void {
    if (token.kind !== 'text') this.#flushText();
    switch (token.kind) {
      case 'text':
        if (this.#rowStyle === null) this.#rowStyle = this.#style();
        for (const b of token.bytes) this.#pending.push(b);
        return;
      case 'line-feed':
        this.#endLine();
        return;
      case 'feed':
        for (let i = 0; i < token.lines; i++) this.#endLine();
        return;
      case 'init':
        this.#table = 0;
        this.#isKanji = false;
        this.#isBold = false;
        this.#align = 0;
        this.#size = { width: 1, height: 1 };
        return;
      case 'code-table':
        this.#table = token.table;
        return;
      case 'kanji':
        this.#isKanji = token.isOn;
        return;
      case 'align':
        this.#align = token.align;
        return;
      case 'bold':
        this.#isBold = token.isOn;
        return;
      case 'size':
        this.#size = { width: token.width, height: token.height };
        return;
      case 'qr':
        this.#qr(token.fn, token.params);
        return;
      case 'raster':
        this.#endLineIfAny();
        this.#preview.images.push({ widthDots: token.widthDots, heightDots: token.heightDots, mode: token.mode, data: token.data.slice() });
        this.#preview.items.push({ kind: 'image', image: this.#preview.images.at(-1)!, align: this.#align });
        return;
      case 'cut':
        this.#endLineIfAny();
        this.#preview.cut = true;
        this.#preview.items.push({ kind: 'cut' });
        return;
      case 'paper-status':
      case 'realtime-status':
        return;
      default: {
        const unknown: never = token;
        throw new Error(`unhandled token ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The preview so far; an unterminated last line is included. */
  finish(): TicketPreview {
    this.#flushText();
    this.#endLineIfAny();
    return {
      lines: [...this.#preview.lines],
      rows: [...this.#preview.rows],
      qr: [...this.#preview.qr],
      images: [...this.#preview.images],
      cut: this.#preview.cut,
      items: [...this.#preview.items],
    };
  }

  #style(): Omit<PreviewRow, 'text'> {
    return { widthScale: this.#size.width, heightScale: this.#size.height, isBold: this.#isBold, align: this.#align };
  }

  #flushText(): void {
    if (this.#pending.length === 0) return;
    const encoding = this.#isKanji ? 'gb18030' : this.#tables.get(this.#table);
    if (encoding === undefined) throw new Error(`code table ${this.#table} is not in the printer profile`);
    this.#line += iconv.decode(Buffer.from(this.#pending), encoding);
    this.#pending = [];
  }

  #endLine(): void {
    this.#preview.lines.push(this.#line);
    const row = { text: this.#line, ...(this.#rowStyle ?? this.#style()) };
    this.#preview.rows.push(row);
    this.#preview.items.push({ kind: 'row', row });
    this.#line = '';
    this.#rowStyle = null;
  }

  #endLineIfAny(): void {
    if (this.#line !== '') this.#endLine();
  }

  #qr(fn: number, params: Uint8Array): void {
    if (fn === 0x43) {
      this.#qrModuleDots = params[0] ?? this.#qrModuleDots;
    } else if (fn === 0x45) {
      this.#qrLevel = QR_LEVELS[(params[0] ?? 48) - 48] ?? this.#qrLevel;
    } else if (fn === 0x50) {
      this.#qrData = params.slice(1);
    } else if (fn === 0x51) {
      if (this.#qrData === null) throw new Error('QR print without stored data');
      this.#endLineIfAny();
      const data = new TextDecoder('utf-8', { fatal: true }).decode(this.#qrData);
      this.#preview.qr.push(data);
      this.#preview.items.push({ kind: 'qr', data, moduleDots: this.#qrModuleDots, level: this.#qrLevel, align: this.#align });
    }
  }
}

/** Decodes a whole job at once; throws EscPosDecodeError on a command the encoder never emits. */
export function decodeEscPos(bytes: Uint8Array, profile: PrinterProfile): TicketPreview {
  const builder = new PreviewBuilder(profile);
  let at = 0;
  while (at < bytes.length) {
    const read = readToken(bytes, at);
    if (read === null) throw new EscPosDecodeError('truncated command', at);
    builder.push(read.token);
    at = read.end;
  }
  return builder.finish();
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
