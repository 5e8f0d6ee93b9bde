import { describe, expect, it } from 'vitest';
import { EscPosDecodeError, PreviewBuilder, decodeEscPos, readToken } from './escpos.decoder.ts';
import { encodeTicket } from './escpos.encoder.ts';
import { loadProfile } from './profile.ts';
import { sampleTickets } from './ticket.fixtures.ts';

const epson = await loadProfile('epson-tm-t20');

/** Feeds a buffer the way a serial reader sees it: tokens read from whatever has arrived so far. */
function decodeInChunks(bytes: Uint8Array, chunk: number): ReturnType<PreviewBuilder['finish']> {
  const builder = new PreviewBuilder(epson);
  let buffer = new Uint8Array(0);
  for (let start = 0; start < bytes.length; start += chunk) {
    const next = new Uint8Array(buffer.length + Math.min(chunk, bytes.length - start));
    next.set(buffer);
    next.set(bytes.subarray(start, start + chunk), buffer.length);
    let at = 0;
    for (let read = readToken(next, at); read !== null; read = readToken(next, at)) {
      builder.push(read.token);
      at = read.end;
    }
    buffer = next.slice(at);
  }
  return builder.finish();
}

describe('decodeEscPos', () => {
  it('reads text in the active code table', () => {
    const bytes = Uint8Array.from([0x1b, 0x40, 0x1b, 0x74, 18, 0x85, 0x0a, 0x1b, 0x74, 0, 0x81, 0x0a]);
    expect(decodeEscPos(bytes, epson).lines).toEqual(['ů', 'ü']);
  });

  it('refuses commands the encoder never sends', () => {
    expect(() => decodeEscPos(Uint8Array.from([0x1b, 0x2a, 0]), epson)).toThrow(EscPosDecodeError);
    expect(() => decodeEscPos(Uint8Array.from([0x1d, 0x28]), epson)).toThrow(/truncated/);
  });

  it('refuses a code table the profile does not know', () => {
    expect(() => decodeEscPos(Uint8Array.from([0x1b, 0x74, 99, 0x41, 0x0a]), epson)).toThrow(/code table 99/);
  });

  it('gives the same preview whatever the chunking, split multi-byte characters included', () => {
    const bytes = encodeTicket(sampleTickets['zh-CN'], epson, 'zh-CN');
    const whole = decodeEscPos(bytes, epson);
    for (const chunk of [1, 2, 3, 7, 64]) expect(decodeInChunks(bytes, chunk)).toEqual(whole);
  });

  it('lists what was printed in paper order: rows, the QR code with its module size and level, the cut', () => {
    const items = decodeEscPos(encodeTicket(sampleTickets.cs, epson, 'cs'), epson).items;
    const qr = items.findIndex((i) => i.kind === 'qr');
    expect(items[qr]).toEqual({ kind: 'qr', data: sampleTickets.cs.statusUrl, moduleDots: epson.qrModuleDots, level: 'M', align: 1 });
    expect(items.slice(0, qr).every((i) => i.kind === 'row')).toBe(true);
    expect(items.find((i) => i.kind === 'row' && i.row.text === 'A017')).toMatchObject({ row: { widthScale: 4, heightScale: 4, isBold: false, align: 1 } });
    expect(items.at(-1)).toEqual({ kind: 'cut' });
  });

  it('ignores status queries between commands', () => {
    const bytes = Uint8Array.from([0x10, 0x04, 0x01, 0x41, 0x1d, 0x72, 0x01, 0x0a]);
    expect(decodeEscPos(bytes, epson).lines).toEqual(['A']);
  });
});
