import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from './escpos.decoder.ts';
import { encodeTicket } from './escpos.encoder.ts';
import { printedColumns, ticketSvg } from './escpos.svg.ts';
import { loadProfile } from './profile.ts';
import { sampleTickets } from './ticket.fixtures.ts';

const epson = await loadProfile('epson-tm-t20');
const generic = await loadProfile('generic-58mm');

/** The picture of a fixture ticket, drawn from its own bytes read back by the decoder. */
const picture = (lang: keyof typeof sampleTickets, profile = epson): string => ticketSvg(decodeEscPos(encodeTicket(sampleTickets[lang], profile, lang), profile), profile);

interface DrawnText {
  text: string;
  fontSize: number;
  textLength: number;
  weight: string;
}

function texts(svg: string): DrawnText[] {
  return [...svg.matchAll(/<text x="[^"]*" y="[^"]*" font-size="([^"]+)" textLength="([^"]+)"[^>]*font-weight="(\w+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
    fontSize: Number(m[1]),
    textLength: Number(m[2]),
    weight: m[3]!,
    text: m[4]!.replace(/&amp;/g, '&'),
  }));
}

const drawn = (svg: string, text: string): DrawnText => {
  const hit = texts(svg).find((x) => x.text === text);
  if (hit === undefined) throw new Error(`"${text}" is not drawn in ${svg.slice(0, 400)}…`);
  return hit;
};

/** The QR drawn in the picture, read back module by module from its path. */
function drawnQr(svg: string): boolean[][] {
  const m = /<path class="qr" data-modules="(\d+)" data-module-dots="(\d+)" data-x="([\d.]+)" data-y="([\d.]+)" d="([^"]*)"/.exec(svg);
  if (m === null) throw new Error('no QR in the picture');
  const [size, dots, x0, y0] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  const matrix = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [, x, y] of m[5]!.matchAll(/M([\d.]+) ([\d.]+)h/g)) matrix[(Number(y) - y0) / dots]![(Number(x) - x0) / dots] = true;
  return matrix;
}

describe('the picture of a printed ticket', () => {
  it('draws the quadruple-size number larger and wider than normal text, at the encoder’s scale', () => {
    const svg = picture('cs');
    const number = drawn(svg, 'A017');
    const service = drawn(svg, 'Občanské průkazy a cestovní doklady');
    expect(number.fontSize).toBe(service.fontSize * 4);
    // Four columns at four times the width of a normal column (12 dots on an 80 mm Epson).
    expect(number.textLength).toBe(4 * 12 * 4);
    expect(service.textLength).toBe(printedColumns('Občanské průkazy a cestovní doklady') * 12);
  });

  it('draws bold what was printed bold, and only that', () => {
    const svg = picture('cs');
    expect(drawn(svg, 'Úřad městské části Praha 3').weight).toBe('bold');
    expect(drawn(svg, 'Občanské průkazy a cestovní doklady').weight).toBe('normal');
    expect(drawn(svg, 'Před vámi: 4').weight).toBe('normal');
  });

  it('draws the QR code the printer was sent, module for module', () => {
    const svg = picture('cs');
    expect(drawnQr(svg)).toEqual(encode(sampleTickets.cs.statusUrl, { ecc: 'M', border: 0 }).data);
  });

  it('draws a cut line on a printer with a cutter, none on a tear-bar printer', () => {
    expect(picture('cs')).toMatch(/<line class="cut" x1="0" y1="(\d+)" x2="\d+" y2="\1"/);
    const torn = picture('en', generic);
    expect(torn).not.toContain('class="cut"');
    // Without a QR engine the ticket carries a raster QR: drawn dot for dot.
    expect(torn).toMatch(/<path class="raster" d="M/);
  });

  it('gives Chinese characters two columns each, as the printer does', () => {
    const svg = picture('zh-CN');
    expect(drawn(svg, '曲靖市政务服务中心').textLength).toBe(9 * 2 * 12);
    expect(svg).toContain('<title>曲靖市政务服务中心');
  });

  it('wraps a line longer than the paper where the printer does, at 48 columns', () => {
    const svg = picture('cs');
    const footer = sampleTickets.cs.footer;
    expect(drawn(svg, footer.slice(0, 48)).textLength).toBe(48 * 12);
    expect(drawn(svg, footer.slice(48)).textLength).toBe((footer.length - 48) * 12);
  });

  it('escapes text: a name cannot break out of the picture', () => {
    const ticket = { ...sampleTickets.en, officeName: 'A <b>&</b> "B"' };
    const svg = ticketSvg(decodeEscPos(encodeTicket(ticket, epson, 'en'), epson), epson);
    expect(svg).toContain('A &lt;b&gt;&amp;&lt;/b&gt; &quot;B&quot;');
    expect(svg).not.toContain('<b>');
  });
});
