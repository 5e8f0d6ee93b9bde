import { describe, expect, it } from 'vitest';
import { encodeTicket } from './escpos.encoder.ts';
import { loadProfile } from './profile.ts';
import { sampleTickets } from './ticket.fixtures.ts';
import { VirtualPrinter } from './virtual-printer.ts';

const profile = await loadProfile('generic-58mm');
const DLE_EOT_ALL = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4];
const GS_R_1 = [0x1d, 0x72, 1];

function printerWithReplies(): { printer: VirtualPrinter; replies: number[] } {
  const replies: number[] = [];
  const printer = new VirtualPrinter(profile, (bytes) => replies.push(...bytes));
  return { printer, replies };
}

describe('VirtualPrinter', () => {
  it('answers DLE EOT from its condition', () => {
    const { printer, replies } = printerWithReplies();
    printer.receive(Uint8Array.from(DLE_EOT_ALL));
    printer.setCondition({ isCoverOpen: true, isPaperNearEnd: true });
    printer.receive(Uint8Array.from(DLE_EOT_ALL));
    expect(replies).toEqual([0x12, 0x12, 0x12, 0x12, 0x1a, 0x16, 0x12, 0x1e]);
  });

  it('cuts jobs at GS r 1, whatever the chunks, and leaves the queries out of the job', () => {
    const { printer, replies } = printerWithReplies();
    const job = encodeTicket(sampleTickets.ro, profile, 'ro');
    const stream = Uint8Array.from([...DLE_EOT_ALL, ...job, ...GS_R_1]);
    for (let at = 0; at < stream.length; at += 5) printer.receive(stream.subarray(at, at + 5));
    expect(printer.jobs).toHaveLength(1);
    expect(Buffer.from(printer.jobs[0]?.bytes ?? []).equals(Buffer.from(job))).toBe(true);
    expect(printer.jobs[0]?.preview.lines).toContain('Vă mulţumim! ŞŢ şţ Ăă Ââ Îî');
    expect(printer.jobs[0]?.preview.images).toHaveLength(1);
    expect(replies).toEqual([0x12, 0x12, 0x12, 0x12, 0x00]);
  });

  it('holds a job while out of paper and prints it once paper is back', () => {
    const { printer, replies } = printerWithReplies();
    printer.setCondition({ isPaperEnd: true });
    printer.receive(Uint8Array.from([0x1b, 0x40, 0x41, 0x0a, ...GS_R_1, ...DLE_EOT_ALL]));
    expect(printer.jobs).toEqual([]);
    expect(replies).toEqual([0x1a, 0x32, 0x12, 0x72]);
    printer.setCondition({ isPaperEnd: false });
    expect(printer.jobs.map((j) => j.preview.lines)).toEqual([['A']]);
    expect(replies.at(-1)).toBe(0x00);
  });

  it('reports bytes it does not understand and keeps going', () => {
    const { printer } = printerWithReplies();
    const failures: Error[] = [];
    printer.on('job:failed', (error) => failures.push(error));
    printer.receive(Uint8Array.from([0x1b, 0x2a, 0x41, 0x0a, ...GS_R_1, 0x1b, 0x40, 0x42, 0x0a, ...GS_R_1]));
    expect(failures.length).toBeGreaterThan(0);
    expect(printer.jobs.at(-1)?.preview.lines).toEqual(['B']);
  });

  it('stays silent when it is not answering, and still prints', () => {
    const { printer, replies } = printerWithReplies();
    printer.setAnswering(false);
    printer.receive(Uint8Array.from([...DLE_EOT_ALL, 0x41, 0x0a, ...GS_R_1]));
    expect(replies).toEqual([]);
    expect(printer.jobs).toHaveLength(1);
  });
});
