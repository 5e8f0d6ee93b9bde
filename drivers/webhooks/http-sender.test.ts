import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, type WebhookPost } from './http-sender.ts';

/** A loopback server answering every request by `answer`, counting them per path. */
async function server(answer: (path: string) => { status: number; headers?: Record<string, string> }): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const s: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.url ?? '');
      const a = answer(req.url ?? '');
      res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { port: (s.address() as AddressInfo).port, hits, close: () => new Promise((resolve) => s.close(() => resolve())) };
}

let target: Awaited<ReturnType<typeof server>>;
let elsewhere: Awaited<ReturnType<typeof server>>;
beforeAll(async () => {
  elsewhere = await server(() => ({ status: 200 }));
  target = await server((path) => (path === '/moved' ? { status: 302, headers: { location: `http://127.0.0.1:${elsewhere.port}/inside` } } : { status: 200 }));
});
afterAll(async () => {
  await target.close();
  await elsewhere.close();
});

const base = (url: string): WebhookPost => ({ url, body: '{}', eventId: '1', eventType: 'ping', secret: 's', now: Date.UTC(2026, 10, 23, 8), timeoutMs: 1000, policy: { allowPrivate: false, allowLoopback: true } });

describe('posting a webhook', () => {
  it('refuses at delivery a name that now resolves into a private network, and connects only to the address it checked', async () => {
    const url = `http://hooks.fronta.test:${target.port}/`;
    expect(await postWebhook(base(url), () => Promise.resolve(['10.0.0.7']))).toMatchObject({ status: null, error: 'address refused: 10.0.0.7' });
    expect((await postWebhook(base(url), () => Promise.resolve(['127.0.0.1', 'fd00::7']))).error).toBe('address refused: fd00::7');
    expect((await postWebhook(base(url), () => Promise.resolve(['169.254.169.254']))).error).toBe('address refused: 169.254.169.254');
    expect(target.hits).toEqual([]);
    // hooks.fronta.test exists in no DNS: an answer proves the connection went to the checked address.
    expect((await postWebhook(base(url), () => Promise.resolve(['127.0.0.1']))).status).toBe(200);
    expect(target.hits).toEqual(['/']);
  });

  it('never follows a redirect (it could point into the office network): the 3xx is the answer, retried as a failure', async () => {
    const r = await postWebhook(base(`http://127.0.0.1:${target.port}/moved`));
    expect(r).toMatchObject({ status: 302, error: null });
    expect(elsewhere.hits).toEqual([]);
  });

  it('sends nothing to a private address literal without the admin’s allowance, and to it with the allowance', async () => {
    const url = `http://127.0.0.1:${target.port}/literal`;
    const strict = await postWebhook({ ...base(url), policy: { allowPrivate: false, allowLoopback: false } });
    expect(strict).toMatchObject({ status: null, error: 'address refused: 127.0.0.1' });
    expect(target.hits.filter((p) => p === '/literal')).toEqual([]);
    expect((await postWebhook({ ...base(url), policy: { allowPrivate: true, allowLoopback: false } })).status).toBe(200);
  });
});
