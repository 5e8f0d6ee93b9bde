import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ticketSvg } from '../drivers/printer/escpos.svg.ts';
import { errorBody } from '../server/errors.ts';
import { createMemoryLine } from '../drivers/printer/memory-line.ts';
import { PrintAgent } from '../drivers/printer/print-agent.ts';
import { loadProfile } from '../drivers/printer/profile.ts';
import { SerialPrinter } from '../drivers/printer/serial.transport.ts';
import { VirtualPrinter, type VirtualCondition } from '../drivers/printer/virtual-printer.ts';

/**
 * The demo's kiosk printers (`npm start`, nothing but Node): for each demo kiosk an in-process
 * print agent, the same one a kiosk PC runs, connected to this host over socket.io with the
 * kiosk's token, driving a VirtualPrinter over an in-memory serial line. The preview page
 * (/demo/printers) shows every printed ticket as a picture drawn from its ESC/POS bytes.
 */

export const DemoPrinterEntry = z.object({ deviceId: z.string(), name: z.string(), token: z.string(), profile: z.string() });
export type DemoPrinterEntryT = z.infer<typeof DemoPrinterEntry>;

const FILE = 'demo-printers.json';

/** Written once by the demo seed (mode 0600, like the credentials): tokens are shown only once. */
export function saveDemoPrinters(dataDir: string, entries: readonly DemoPrinterEntryT[]): void {
  writeFileSync(join(dataDir, FILE), JSON.stringify(entries, null, 2) + '\n', { mode: 0o600 });
}

export function readDemoPrinters(dataDir: string): DemoPrinterEntryT[] {
  const file = join(dataDir, FILE);
  if (!existsSync(file)) return [];
  return z.array(DemoPrinterEntry).parse(JSON.parse(readFileSync(file, 'utf8')));
}

interface PrintedTicket {
  at: number;
  /** The ticket drawn from its own bytes (drivers/printer/escpos.svg.ts). */
  svg: string;
  lines: string[];
  qr: string[];
  cut: boolean;
  bytes: number;
}

interface RunningPrinter {
  entry: DemoPrinterEntryT;
  virtual: VirtualPrinter;
  agent: PrintAgent;
  printed: PrintedTicket[];
}

const KEEP = 50;

export class DemoPrinters {
  readonly #running = new Map<string, RunningPrinter>();

  /** Starts one agent + virtual printer per entry and waits (up to `waitMs`) until all are connected. */
  async start(hostUrl: string, entries: readonly DemoPrinterEntryT[], waitMs = 5000): Promise<void> {
    for (const entry of entries) {
      const profile = await loadProfile(entry.profile);
      const line = createMemoryLine();
      const virtual = await VirtualPrinter.openSerial({ path: `memory:${entry.deviceId}`, profile, openPort: line.openPrinterPort });
      const printer = new SerialPrinter({ path: `memory:${entry.deviceId}`, openPort: line.openHostPort, heartbeatMs: 2000, replyTimeoutMs: 800, confirmTimeoutMs: 3000 });
      const agent = new PrintAgent({ hostUrl, token: entry.token, printer, profile, reportEveryMs: 5000 });
      const running: RunningPrinter = { entry, virtual, agent, printed: [] };
      virtual.on('job:printed', (job) => {
        running.printed.unshift({ at: Date.now(), svg: ticketSvg(job.preview, profile), lines: job.preview.lines, qr: job.preview.qr, cut: job.preview.cut, bytes: job.bytes.length });
        running.printed.length = Math.min(running.printed.length, KEEP);
      });
      await agent.start();
      this.#running.set(entry.deviceId, running);
    }
    const deadline = Date.now() + waitMs;
    while ([...this.#running.values()].some((r) => !r.agent.isConnected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  setCondition(deviceId: string, patch: Partial<VirtualCondition>): boolean {
    const r = this.#running.get(deviceId);
    if (r === undefined) return false;
    r.virtual.setCondition(patch);
    return true;
  }

  snapshot(): { deviceId: string; name: string; condition: VirtualCondition; connected: boolean; printed: PrintedTicket[] }[] {
    return [...this.#running.values()].map((r) => ({
      deviceId: r.entry.deviceId,
      name: r.entry.name,
      condition: r.virtual.condition,
      connected: r.agent.isConnected,
      printed: r.printed,
    }));
  }

  async close(): Promise<void> {
    for (const r of this.#running.values()) {
      await r.agent.stop();
      await r.virtual.close();
    }
    this.#running.clear();
  }
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const ConditionBody = z.object({
  isPaperEnd: z.boolean().optional(),
  isPaperNearEnd: z.boolean().optional(),
  isCoverOpen: z.boolean().optional(),
  isOffline: z.boolean().optional(),
});

/** /demo/printers (preview page), /demo/printers.json, and the demo's paper/cover switches. */
export function demoPrinterRoutes(app: FastifyInstance, printers: DemoPrinters): void {
  app.get('/demo/printers.json', { schema: { hide: true } }, async () => ({ printers: printers.snapshot() }));

  app.post<{ Params: { deviceId: string } }>('/demo/printers/:deviceId/condition', { schema: { hide: true } }, async (req, reply) => {
    const body = ConditionBody.safeParse(req.body);
    if (!body.success) return reply.status(400).send(errorBody(req.t, 'VALIDATION_FAILED', { detail: 'isPaperEnd, isPaperNearEnd, isCoverOpen, isOffline: booleans' }));
    const patch: Partial<VirtualCondition> = {};
    for (const [k, v] of Object.entries(body.data)) if (v !== undefined) patch[k as keyof VirtualCondition] = v;
    // An unknown kiosk is said so: a switch that silently did nothing looked like a working one.
    if (!printers.setCondition(req.params.deviceId, patch)) return reply.status(404).send(errorBody(req.t, 'DEVICE_NOT_FOUND'));
    return { ok: true };
  });

  app.get('/demo/printers', { schema: { hide: true } }, async (_req, reply) => {
    const sections = printers
      .snapshot()
      .map((p) => {
        const c = p.condition;
        const toggle = (key: keyof VirtualCondition, label: string): string =>
          `<button data-device="${esc(p.deviceId)}" data-key="${key}" data-value="${String(!c[key])}">${esc(label)}: ${c[key] ? 'yes' : 'no'}</button>`;
        const tickets = p.printed
          .map(
            (t) =>
              `<figure class="ticket">${t.svg}<figcaption>QR: ${t.qr.map((q) => `<a href="${esc(q)}">${esc(q)}</a>`).join(' ')}` +
              `<br>${t.bytes} bytes${t.cut ? ', cut' : ''}, ${esc(new Date(t.at).toLocaleTimeString())}</figcaption></figure>`,
          )
          .join('');
        return `<section><h2>${esc(p.name)} <small>${esc(p.deviceId)} — agent ${p.connected ? 'connected' : 'not connected'}</small></h2>
<p>${toggle('isPaperEnd', 'paper end')} ${toggle('isPaperNearEnd', 'paper near end')} ${toggle('isCoverOpen', 'cover open')} ${toggle('isOffline', 'offline')}</p>
<div class="roll">${tickets || '<p>No ticket printed yet: take one on the <a href="/kiosk">kiosk</a>.</p>'}</div></section>`;
      })
      .join('');
    void reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fronta — virtual ticket printers</title><link rel="stylesheet" href="/static/demo.css"><script type="module" src="/static/demo-printers.js"></script></head>
<body class="printers"><h1>Virtual ticket printers</h1><p>Each demo kiosk has its own print agent and virtual ESC/POS printer; below is every ticket as it came out of the printer, drawn from the bytes it received (newest first). The switches play a printer that runs out of paper or has its cover open: the kiosk goes out of order and recovers by itself. <a href="/">Start page</a></p>
${sections || '<p>No virtual printers run in this host.</p>'}
</body></html>`);
  });
}
