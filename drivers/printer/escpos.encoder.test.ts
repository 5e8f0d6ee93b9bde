import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { qrcode } from 'receiptline';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../core/shared/model.ts';
import type { Language } from '../../core/shared/model.ts';
import { decodeEscPos } from './escpos.decoder.ts';
import { encodeText, encodeTicket, sanitizePrintText, toCedillaForms } from './escpos.encoder.ts';
import type { TicketPrint } from './escpos.encoder.ts';
import { loadProfile } from './profile.ts';
import { sampleBookedLines, sampleTickets } from './ticket.fixtures.ts';

const epson = await loadProfile('epson-tm-t20');
const generic = await loadProfile('generic-58mm');

/** `UPDATE_GOLDEN=1 npx vitest run drivers/printer` rewrites the files; review the diff of the decoded preview first. */
const isUpdatingGolden = process.env['UPDATE_GOLDEN'] === '1';

function golden(name: string, bytes: Uint8Array): void {
  const file = new URL(`./golden/${name}.bin`, import.meta.url);
  if (isUpdatingGolden) writeFileSync(file, bytes);
  if (!existsSync(file)) throw new Error(`golden file ${name}.bin is missing: run with UPDATE_GOLDEN=1 once`);
  expect(Buffer.from(bytes).equals(readFileSync(file)), `${name}.bin differs from the encoder output`).toBe(true);
}

describe('encodeTicket golden files', () => {
  for (const profile of [epson, generic]) {
    for (const language of LANGUAGES) {
      it(`${profile.model} ${language} is byte for byte the golden file`, () => {
        golden(`${profile.model}.${language}`, encodeTicket(sampleTickets[language], profile, language));
      });
    }
  }
});

describe('a booked arrival’s ticket', () => {
  it('cs on the Epson is byte for byte the golden file', () => {
    golden('epson-tm-t20.cs-booked', encodeTicket({ ...sampleTickets.cs, booked: sampleBookedLines.cs }, epson, 'cs'));
  });

  for (const language of LANGUAGES) {
    it(`says which booking it is for, in bold under the number (${language})`, () => {
      const preview = decodeEscPos(encodeTicket({ ...sampleTickets[language], booked: sampleBookedLines[language] }, generic, language), generic);
      const at = preview.rows.findIndex((r) => r.text === sampleTickets[language].number);
      expect(preview.rows[at + 1]).toEqual({ text: sampleBookedLines[language], widthScale: 1, heightScale: 1, isBold: true, align: 1 });
      expect(preview.rows[at + 2]?.text).toBe(sampleTickets[language].issuedAt);
    });
  }

  it('a walk-in has no such line: absent, empty or only control bytes, the bytes are the walk-in’s', () => {
    const walkIn = encodeTicket(sampleTickets.en, epson, 'en');
    for (const booked of [undefined, '', '\u001b\u001d ']) {
      expect(Buffer.from(encodeTicket({ ...sampleTickets.en, booked }, epson, 'en')).equals(Buffer.from(walkIn))).toBe(true);
    }
  });

  it('cannot slip a command in through the booked line', () => {
    const preview = decodeEscPos(encodeTicket({ ...sampleTickets.cs, booked: 'Rezervace\u001dV\u0000 na 10:30' }, generic, 'cs'), generic);
    expect(preview.cut).toBe(false);
    expect(preview.lines).toContain('RezervaceV na 10:30');
  });
});

describe('encodeTicket → decodeEscPos round trip', () => {
  const expectations: Record<Language, (t: TicketPrint) => string[]> = {
    cs: (t) => [t.officeName, t.serviceName, t.number, t.footer, 'Před vámi: 4', 'Odhad čekání: 12 min'],
    ro: (t) => [toCedillaForms(t.officeName), toCedillaForms(t.serviceName), 'Vă mulţumim! ŞŢ şţ Ăă Ââ Îî', 'Aşteptare estimată: necunoscută', 'Înaintea dvs.: 0'],
    'zh-CN': (t) => [t.officeName, '机动车登记 𠮷', t.footer, '前面等待: 27', '预计等待: 45 分钟'],
    en: (t) => [t.officeName, t.serviceName, t.number, t.footer, 'Ahead of you: 1', 'Estimated wait: 3 min'],
  };

  for (const language of LANGUAGES) {
    it(`gives back the texts of a ${language} ticket`, () => {
      const ticket = sampleTickets[language];
      const preview = decodeEscPos(encodeTicket(ticket, epson, language), epson);
      for (const text of expectations[language](ticket)) expect(preview.lines).toContain(text);
      expect(preview.qr).toEqual([ticket.statusUrl]);
      expect(preview.cut).toBe(true);
    });
  }

  it('prints the number at quad size and the office in bold, centred', () => {
    const preview = decodeEscPos(encodeTicket(sampleTickets.cs, epson, 'cs'), epson);
    expect(preview.rows.find((r) => r.text === 'A017')).toEqual({ text: 'A017', widthScale: 4, heightScale: 4, isBold: false, align: 1 });
    expect(preview.rows.find((r) => r.text === sampleTickets.cs.officeName)).toMatchObject({ widthScale: 1, isBold: true, align: 1 });
  });

  it('selects the code tables named by the profile', () => {
    const cs = encodeTicket(sampleTickets.cs, { ...epson, codePages: { cp852: 46, gb18030: 7 } }, 'cs');
    expect([...cs.subarray(0, 7)]).toEqual([0x1b, 0x40, 0x1c, 0x2e, 0x1b, 0x74, 46]);
    const zh = encodeTicket(sampleTickets['zh-CN'], { ...epson, codePages: { cp852: 46, gb18030: 7 } }, 'zh-CN');
    expect([...zh.subarray(0, 7)]).toEqual([0x1b, 0x40, 0x1b, 0x74, 7, 0x1c, 0x26]);
  });

  it('encodes 𠮷 as its four-byte GB18030 sequence', () => {
    expect([...encodeText('𠮷', 'gb18030')]).toEqual([0x95, 0x34, 0xb2, 0x35]);
  });

  it('prints the estimate placeholder when there is no estimate', () => {
    const preview = decodeEscPos(encodeTicket({ ...sampleTickets.en, estimatedWaitMin: null }, epson, 'en'), epson);
    expect(preview.lines).toContain('Estimated wait: unknown');
  });
});

describe('QR code', () => {
  it('uses GS ( k on a printer with a QR engine, about a hundred bytes', () => {
    const bytes = encodeTicket(sampleTickets.en, epson, 'en');
    const preview = decodeEscPos(bytes, epson);
    expect(preview.images).toEqual([]);
    expect(bytes.length).toBeLessThan(400);
  });

  it('sends the receiptline QR matrix as a GS v 0 raster at half resolution on a clone', () => {
    const url = sampleTickets.en.statusUrl;
    const preview = decodeEscPos(encodeTicket(sampleTickets.en, generic, 'en'), generic);
    expect(preview.qr).toEqual([]);
    expect(preview.cut).toBe(false);
    const [image] = preview.images;
    const matrix = qrcode.generate({ data: url, type: 'qrcode', cell: 1, level: 'm', quietZone: false });
    const cell = generic.qrModuleDots / 2;
    expect(image?.mode).toBe(3);
    expect(image?.heightDots).toBe(matrix.length * cell);
    const rowBytes = (image?.widthDots ?? 0) / 8;
    matrix.forEach((row, y) => {
      row.forEach((module, x) => {
        const byte = image?.data[y * cell * rowBytes + ((x * cell) >> 3)] ?? 0;
        expect((byte >> (7 - ((x * cell) & 7))) & 1, `module ${x},${y}`).toBe(module);
      });
    });
  });

  it('refuses an empty or oversized status URL', () => {
    expect(() => encodeTicket({ ...sampleTickets.en, statusUrl: '\u0000' }, epson, 'en')).toThrow(RangeError);
    expect(() => encodeTicket({ ...sampleTickets.en, statusUrl: `https://x/${'a'.repeat(1000)}` }, generic, 'en')).toThrow(RangeError);
  });
});

describe('Romanian comma-below letters', () => {
  it('become the cedilla letters that PC852 has', () => {
    expect(toCedillaForms('ȘșȚț')).toBe('ŞşŢţ');
    expect(toCedillaForms('Ăă Ââ Îî ŞşŢţ')).toBe('Ăă Ââ Îî ŞşŢţ');
  });

  it('map to the PC852 bytes of Ş ş Ţ ţ, also when typed decomposed', () => {
    expect([...encodeText('ȘșȚț', 'cp852')]).toEqual([0xb8, 0xad, 0xdd, 0xee]);
    expect([...encodeText('S\u0326s\u0326T\u0326t\u0326', 'cp852')]).toEqual([0xb8, 0xad, 0xdd, 0xee]);
  });

  it('never reach the printer as "?"', () => {
    const bytes = encodeTicket(sampleTickets.ro, epson, 'ro');
    const text = decodeEscPos(bytes, epson).lines.join('\n');
    expect(text).not.toContain('?');
    expect(text).not.toMatch(/[șțȘȚ]/);
  });
});

describe('control characters from configuration or clients', () => {
  it('are removed, and line breaks become spaces', () => {
    expect(sanitizePrintText('A\u001bB\u009bC\u007fD\u0000E\u001dV\u0001')).toBe('ABCDEV');
    expect(sanitizePrintText('Praha\r\n3\tcentrum\u0085x')).toBe('Praha  3 centrum x');
    expect([...encodeText('x\u001d\u0056\u0000y', 'cp852')]).toEqual([0x78, 0x56, 0x79]);
    expect([...encodeText('号\u0010\u0004\u0001票', 'gb18030')].some((b) => b < 0x20)).toBe(false);
  });

  it('cannot cut, reset or switch code pages from inside a ticket', () => {
    const evil: TicketPrint = {
      ...sampleTickets.cs,
      officeName: 'Úřad\u001dV\u0000',
      serviceName: 'Pas\u001b@\u001bt\u0000y',
      number: 'A\u001d!\u0077017',
      footer: '\u001c&konec\u009b',
      statusUrl: 'https://fronta.example/t/\u0000\u001b@x',
    };
    const preview = decodeEscPos(encodeTicket(evil, generic, 'cs'), generic);
    expect(preview.cut).toBe(false);
    expect(preview.lines).toContain('ÚřadV');
    expect(preview.lines).toContain('Pas@ty');
    expect(preview.lines).toContain('A!w017');
    expect(preview.lines).toContain('&konec');
    expect(preview.rows.filter((r) => r.widthScale > 1).map((r) => r.text)).toEqual(['A!w017']);
  });
});
