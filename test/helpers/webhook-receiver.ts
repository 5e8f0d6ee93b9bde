import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Another system's receiver, written the way its authors would from our documentation alone:
 * it checks `Fronta-Signature` with its own HMAC code, drops events whose `Fronta-Event-Id` it
 * already has, and can be down (not listening), slow (answers after the sender gave up) or
 * flapping (errors, cut connections, answers lost after the event was taken).
 */
export class Receiver {
  mode: 'up' | 'slow' | 'flapping' = 'up';
  /** Each endpoint's secret, by path (one endpoint per office). */
  readonly secrets: Record<string, string> = {};
  /** Event ids in the order first taken, with their bodies and the endpoint they came to. */
  readonly taken: { path: string; id: string; type: string; body: Record<string, unknown> }[] = [];
  duplicates = 0;
  badSignatures = 0;
  /** New events that came after a later one of the same endpoint (order is kept per office). */
  outOfOrder = 0;
  requests = 0;
  private server: Server | null = null;
  port = 0;

  /** Requests per endpoint: each endpoint flaps on its own count, so one office's retries cannot keep falling on another's bad turns. */
  private readonly perPath = new Map<string, number>();

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    this.requests++;
    const path = req.url ?? '';
    const n = (this.perPath.get(path) ?? 0) + 1;
    this.perPath.set(path, n);
    if (this.mode === 'flapping' && n % 4 === 1) return void res.writeHead(503).end('busy');
    if (this.mode === 'flapping' && n % 4 === 2) return void req.socket.destroy();
    if (!this.verify(this.secrets[path] ?? '', String(req.headers['fronta-signature'] ?? ''), raw)) {
      this.badSignatures++;
      return void res.writeHead(401).end();
    }
    const id = String(req.headers['fronta-event-id']);
    if (this.taken.some((t) => t.path === path && t.id === id)) this.duplicates++;
    else {
      const last = this.taken.findLast((t) => t.path === path);
      if (last !== undefined && Number(last.id) > Number(id)) this.outOfOrder++;
      const body = JSON.parse(raw) as { type: string } & Record<string, unknown>;
      this.taken.push({ path, id, type: body.type, body });
    }
    // Taken, but the answer never reaches the sender: it must try again, and we must drop the copy.
    if (this.mode === 'flapping' && n % 4 === 3) return void req.socket.destroy();
    // Slow: every other answer comes after the sender gave up waiting (300 ms).
    if (this.mode === 'slow') return void setTimeout(() => res.writeHead(200).end('ok'), n % 2 === 0 ? 600 : 100);
    res.writeHead(200).end('ok');
  }

  private verify(secret: string, header: string, raw: string): boolean {
    const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
    if (parts['t'] === undefined || parts['v1'] === undefined) return false;
    const expected = createHmac('sha256', secret).update(`${parts['t']}.${raw}`).digest();
    const given = Buffer.from(parts['v1'], 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s === null) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
