import { describe, expect, it } from 'vitest';
import { TICKET_LOGO_MAX_BYTES, TICKET_LOGO_MAX_WIDTH_DOTS } from '../../core/config/limits.ts';
import { TicketLogo } from '../../contracts/office-config.ts';
import { decodeEscPos } from './escpos.decoder.ts';
import { encodeTicket } from './escpos.encoder.ts';
import { loadProfile } from './profile.ts';
import { sampleTickets } from './ticket.fixtures.ts';

/**
 * What a ticket logo costs on the wire. A serial line at 9600 baud, 8N1, moves 960 bytes a
 * second; the host waits 6 s for a print's acknowledgement (server/issue-and-print.ts) and the
 * agent drops a job it could not start within half of that. The largest logo the configuration
 * accepts (TICKET_LOGO_MAX_BYTES) must leave the ticket well inside that, on the slowest profile
 * (a 58 mm clone printing its QR code as a raster).
 */

const SECONDS_PER_BYTE_9600 = 10 / 9600;
const ACK_TIMEOUT_S = 6;

describe('the ticket logo at 9600 baud', () => {
  it('the largest logo allowed adds about a second, and the whole ticket still goes out within half the acknowledgement time', async () => {
    for (const model of ['generic-58mm', 'epson-tm-t20']) {
      const profile = await loadProfile(model);
      const width = Math.min(TICKET_LOGO_MAX_WIDTH_DOTS, profile.paper.dots);
      const height = Math.floor(TICKET_LOGO_MAX_BYTES / (width / 8));
      const data = new Uint8Array((width / 8) * height).fill(0xaa);
      const plain = encodeTicket(sampleTickets.cs, profile, 'cs');
      const withLogo = encodeTicket({ ...sampleTickets.cs, logo: { kind: 'raster', widthDots: width, heightDots: height, data } }, profile, 'cs');
      const logoSeconds = (withLogo.length - plain.length) * SECONDS_PER_BYTE_9600;
      const totalSeconds = withLogo.length * SECONDS_PER_BYTE_9600;
      // The measurement, for whoever tunes the bound (vitest shows it with --reporter verbose).
      console.info(`${model}: ticket ${plain.length} B (${(plain.length * SECONDS_PER_BYTE_9600).toFixed(2)} s), logo ${width}×${height} dots ${withLogo.length - plain.length} B (${logoSeconds.toFixed(2)} s), total ${totalSeconds.toFixed(2)} s at 9600 baud`);
      expect(logoSeconds).toBeLessThanOrEqual(1.1);
      expect(totalSeconds).toBeLessThan(ACK_TIMEOUT_S / 2);
      // The virtual printer reads it back as an image above the office's name.
      const preview = decodeEscPos(withLogo, profile);
      expect(JSON.stringify(preview)).toContain(sampleTickets.cs.officeName);
    }
  });

  it('the configuration refuses a logo bigger than that, and accepts one kept in the printer', () => {
    const big = { kind: 'raster', widthDots: 384, heightDots: 32, data: Buffer.alloc(48 * 32).toString('base64') };
    expect(TicketLogo.safeParse(big).success).toBe(false);
    const fits = { kind: 'raster', widthDots: 384, heightDots: 21, data: Buffer.alloc(48 * 21).toString('base64') };
    expect(TicketLogo.safeParse(fits).success).toBe(true);
    expect(TicketLogo.safeParse({ kind: 'stored', key: 'LG' }).success).toBe(true);
  });

  it('a logo kept in the printer costs eleven bytes', async () => {
    const profile = await loadProfile('epson-tm-t20');
    const plain = encodeTicket(sampleTickets.en, profile, 'en');
    const stored = encodeTicket({ ...sampleTickets.en, logo: { kind: 'stored', key: 'LG' } }, profile, 'en');
    expect(stored.length - plain.length).toBe(11 + 1);
  });
});
