/**
 * The template syntax: text with `{{name}}` placeholders (spaces inside the braces allowed), the
 * same as the catalogues use, so a default is a valid template as it stands. Single braces are
 * plain text; a `{{` without its `}}` (or the reverse) is an error, never printed as it is.
 */

export type TemplatePart = { text: string } | { name: string };

export type Parsed = { ok: true; parts: TemplatePart[] } | { ok: false; problem: 'unbalanced'; at: number } | { ok: false; problem: 'name'; name: string };

// `office.address`: a dot groups what belongs to one thing.
const NAME = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

export function parseTemplate(source: string): Parsed {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    const close = source.indexOf('}}', i);
    if (close !== -1 && (open === -1 || close < open)) return { ok: false, problem: 'unbalanced', at: close };
    if (open === -1) {
      parts.push({ text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open) });
    const end = source.indexOf('}}', open + 2);
    const nested = source.indexOf('{{', open + 2);
    if (end === -1 || (nested !== -1 && nested < end)) return { ok: false, problem: 'unbalanced', at: open };
    const name = source.slice(open + 2, end).trim();
    if (!NAME.test(name)) return { ok: false, problem: 'name', name };
    parts.push({ name });
    i = end + 2;
  }
  return { ok: true, parts };
}

/** The text with each placeholder replaced by its value ('' when the message has none). Throws on a malformed template (a bug: saved ones are checked). */
export function renderTemplate(source: string, values: Readonly<Record<string, string | number>>): string {
  const parsed = parseTemplate(source);
  if (!parsed.ok) throw new Error(`malformed template: ${parsed.problem}`);
  return parsed.parts.map((p) => ('text' in p ? p.text : String(values[p.name] ?? ''))).join('');
}

// GSM 03.38: the basic set costs one septet, the extension table two (escape + char).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/**
 * SMS segments a text takes: GSM 7-bit when every character is in its alphabet (160 septets, or
 * 153 per part when split), else UCS-2 (70 UTF-16 units, or 67 per part) — one Czech "ř" or
 * Chinese character makes the whole text UCS-2.
 */
export function smsSegments(text: string): { encoding: 'gsm7' | 'ucs2'; units: number; segments: number } {
  let septets = 0;
  let gsm = true;
  for (const c of text) {
    if (GSM_BASIC.has(c)) septets += 1;
    else if (GSM_EXTENSION.has(c)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'gsm7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length;
  return { encoding: 'ucs2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** Columns a line takes on a receipt printer: East Asian wide characters take two. */
export function printWidth(line: string): number {
  let width = 0;
  for (const c of line) {
    const cp = c.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}
