import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import { apiError, FINISHED, parseFaults } from './model.ts';
import { cardError, cardPage } from './page.ts';
import { PaymentSimulator, type Answer } from './simulator.ts';
import type { DeliveryRecord } from './webhooks.ts';

export interface PaymentSimulatorOptions {
  /** The bearer key clients must send (GOV.UK Pay's API key). */
  apiKey: string;
  /** The secret the webhooks are signed with. */
  webhookSecret: string;
  webhookUrl?: string | null;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How long an answer hangs under the `timeout` fault: longer than any client waits. */
  hangMs?: number;
  webhookRetryBaseMs?: number;
  webhookMaxTries?: number;
  /** Refunds go submitted → success after this long. */
  refundDelayMs?: number;
  now?: () => number;
}

export interface PaymentSimulatorHandle {
  port: number;
  /** Base URL of the API and of the payment pages. */
  url: string;
  sim: PaymentSimulator;
  deliveries: readonly DeliveryRecord[];
  setWebhookUrl(url: string | null): void;
  /** Resolves once no timer, hung answer or webhook is pending (or after `timeoutMs`). */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

const readBody = (req: IncomingMessage): Promise<string | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const intIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
const httpUrl = (v: unknown): v is string => {
  if (!text(v, 2000)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
};

function validateCreate(b: Record<string, unknown>): Answer | null {
  for (const f of ['amount', 'reference', 'description', 'return_url']) {
    if (b[f] === undefined) return { status: 400, body: apiError('P0101', `Missing mandatory attribute: ${f}`, f) };
  }
  const bad = (f: string): Answer => ({ status: 422, body: apiError('P0102', `Invalid attribute value: ${f}`, f) });
  if (!intIn(b['amount'], 1, 10_000_000)) return bad('amount');
  if (!text(b['reference'], 255)) return bad('reference');
  if (!text(b['description'], 255)) return bad('description');
  if (!httpUrl(b['return_url'])) return bad('return_url');
  const m = b['metadata'];
  if (m !== undefined && (!isObject(m) || Object.keys(m).length > 10 || Object.values(m).some((v) => !['string', 'number', 'boolean'].includes(typeof v)))) return bad('metadata');
  return null;
}

/**
 * A payment provider on loopback that speaks GOV.UK Pay's payments API (create, get, search by
 * reference, cancel, refunds), serves its own card page and sends signed webhooks; plus a
 * statement of all money moved and a control endpoint for faults. Started by the tests and, when
 * no provider is configured, by the demo host.
 */
export async function startPaymentSimulator(o: PaymentSimulatorOptions): Promise<PaymentSimulatorHandle> {
  let base = '';
  let webhookUrl = o.webhookUrl ?? null;
  const now = o.now ?? Date.now;
  const hangMs = o.hangMs ?? 30_000;
  const sim = new PaymentSimulator({
    base: () => base,
    now,
    webhookUrl: () => webhookUrl,
    webhookSecret: o.webhookSecret,
    webhookRetryBaseMs: o.webhookRetryBaseMs ?? 1000,
    webhookMaxTries: o.webhookMaxTries ?? 8,
    refundDelayMs: o.refundDelayMs ?? 50,
  });
  const hangs = new Set<NodeJS.Timeout>();
  const keyHash = createHash('sha256').update(`Bearer ${o.apiKey}`).digest();
  const authorised = (req: IncomingMessage): boolean =>
    timingSafeEqual(createHash('sha256').update(req.headers.authorization ?? '').digest(), keyHash);

  const send = (res: ServerResponse, a: Answer): void => {
    const write = (): void => {
      if (res.destroyed) return;
      if (a.body === null) res.writeHead(a.status).end();
      else res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    };
    const p = a.paymentId === undefined ? undefined : sim.payments.get(a.paymentId);
    if (p !== undefined && p.hangsLeft > 0) {
      // The `timeout` fault: the work is done, the answer comes later than any client waits.
      p.hangsLeft -= 1;
      const t = setTimeout(() => {
        hangs.delete(t);
        write();
      }, hangMs);
      hangs.add(t);
    } else write();
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string[], query: URLSearchParams): Promise<void> => {
    if (!authorised(req)) return send(res, { status: 401, body: apiError('P0920', 'Credentials are required to access this resource') });
    const method = req.method ?? 'GET';
    let body: unknown = undefined;
    if (method === 'POST' || method === 'PUT') {
      const raw = await readBody(req);
      if (raw === null) return send(res, { status: 413, body: apiError('P0197', 'Request body too large') });
      try {
        body = raw === '' ? {} : JSON.parse(raw);
      } catch {
        return send(res, { status: 400, body: apiError('P0197', 'Unable to parse JSON') });
      }
      if (!isObject(body)) return send(res, { status: 400, body: apiError('P0197', 'Unable to parse JSON') });
    }
    const b = (body ?? {}) as Record<string, unknown>;
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    if (key !== undefined && (key.length < 1 || key.length > 255)) return send(res, { status: 422, body: apiError('P0102', 'Invalid attribute value: Idempotency-Key') });
    const [v1, res0, id, sub, subId] = path;
    const route = `${method} /${v1 ?? ''}/${res0 ?? ''}${id === undefined ? '' : '/:id'}${sub === undefined ? '' : `/${sub}`}${subId === undefined ? '' : '/:sub'}`;
    switch (route) {
      case 'POST /v1/payments': {
        const invalid = validateCreate(b);
        if (invalid !== null) return send(res, invalid);
        return send(
          res,
          sim.idempotent(`POST payments`, key, b, () => {
            const a = sim.create(b as Parameters<PaymentSimulator['create']>[0]);
            // A repeated create answers the payment as it is now.
            return { answer: a, replay: () => ({ ...sim.get(a.paymentId ?? ''), status: 200 }) };
          }),
        );
      }
      case 'GET /v1/payments':
        return send(res, sim.search(query.get('reference') ?? ''));
      case 'GET /v1/payments/:id':
        return send(res, sim.get(id!));
      case 'POST /v1/payments/:id/cancel':
        return send(res, sim.cancel(id!));
      case 'POST /v1/payments/:id/refunds': {
        if (!intIn(b['amount'], 1, 10_000_000)) return send(res, { status: 422, body: apiError('P0102', 'Invalid attribute value: amount', 'amount') });
        if (b['refund_amount_available'] !== undefined && !intIn(b['refund_amount_available'], 0, 100_000_000)) {
          return send(res, { status: 422, body: apiError('P0102', 'Invalid attribute value: refund_amount_available', 'refund_amount_available') });
        }
        const rb = b as { amount: number; refund_amount_available?: number };
        return send(res, sim.idempotent(`POST refunds ${id!}`, key, b, () => sim.refund(id!, rb)));
      }
      case 'GET /v1/payments/:id/refunds':
        return send(res, sim.refunds(id!));
      case 'GET /v1/payments/:id/refunds/:sub':
        return send(res, sim.refunds(id!, subId));
      case 'GET /v1/statement':
        return send(res, sim.statement());
      case 'PUT /simulator/faults/:id': {
        const faults = typeof b['simulate'] === 'string' ? parseFaults(b['simulate']) : null;
        if (faults === null) return send(res, { status: 422, body: apiError('P0102', 'Invalid attribute value: simulate', 'simulate') });
        sim.faultsByReference.set(id!, faults);
        return send(res, { status: 204, body: null });
      }
      case 'GET /simulator/webhooks':
        return send(res, { status: 200, body: { deliveries: sim.webhooks.log } });
      default:
        return send(res, { status: 404, body: apiError('P0404', 'Not found') });
    }
  };

  const page = async (req: IncomingMessage, res: ServerResponse, paymentId: string): Promise<void> => {
    const p = sim.payments.get(paymentId);
    const html = (status: number, s: string): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(s);
    };
    if (p === undefined) return html(404, '<!doctype html><html lang="en"><title>Not found</title><p>This payment does not exist.</p></html>');
    const back = (): void => {
      res.writeHead(303, { location: p.returnUrl, 'cache-control': 'no-store' }).end();
    };
    if (req.method === 'GET') {
      // A finished (or submitted) payment sends the citizen back: Back and reload never pay twice.
      if (FINISHED.includes(p.status) || p.status === 'submitted') return back();
      sim.open(p);
      return html(200, cardPage(p, null));
    }
    if (req.method !== 'POST') return html(405, '<!doctype html><html lang="en"><title>Not allowed</title></html>');
    const raw = (await readBody(req)) ?? '';
    const form = new URLSearchParams(raw);
    if (form.get('action') === 'cancel') {
      sim.userCancel(p);
      return back();
    }
    if (p.status !== 'created' && p.status !== 'started') return back();
    const fields = { cardNo: form.get('cardNo') ?? '', expiry: form.get('expiry') ?? '', cvc: form.get('cvc') ?? '' };
    const error = cardError(fields, now());
    if (error !== null) return html(400, cardPage(p, error));
    sim.submitCard(p, fields.cardNo.replace(/[\s-]/g, ''));
    return back();
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const run = path[0] === 'secure' && path.length === 2 ? page(req, res, path[1]!) : api(req, res, path, url.searchParams);
    run.catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(apiError('P0999', 'Internal error')));
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://${o.host ?? '127.0.0.1'}:${port}`;

  return {
    port,
    url: base,
    sim,
    get deliveries() {
      return sim.webhooks.log;
    },
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    async settled(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while ((!sim.idle() || hangs.size > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    },
    async close() {
      for (const t of hangs) clearTimeout(t);
      hangs.clear();
      await sim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
