import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A citizen on the provider's page: open it, fill the card form, follow nothing (returns where it sends them). */
export async function payOnPage(
  nextUrl: string,
  card: { cardNo?: string; expiry?: string; cvc?: string; action?: 'pay' | 'cancel' } = {},
): Promise<{ status: number; location: string | null; html: string }> {
  const page = await fetch(nextUrl, { redirect: 'manual' });
  if (page.status !== 200) return { status: page.status, location: page.headers.get('location'), html: await page.text() };
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('no card form on the payment page');
  return submitCard(new URL(action, nextUrl).toString(), card);
}

/** One press of "Confirm payment" (a double click is two of these). */
export async function submitCard(
  formUrl: string,
  card: { cardNo?: string; expiry?: string; cvc?: string; action?: 'pay' | 'cancel' } = {},
): Promise<{ status: number; location: string | null; html: string }> {
  const res = await fetch(formUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ cardNo: card.cardNo ?? '4444333322221111', expiry: card.expiry ?? '12/39', cvc: card.cvc ?? '123', action: card.action ?? 'pay' }).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

export interface ReceivedWebhook {
  raw: string;
  signature: string | undefined;
  at: number;
}

/**
 * A webhook endpoint on loopback that records every delivery. `answer` decides the status per
 * delivery (to make the provider retry).
 */
export async function startWebhookReceiver(answer: (w: ReceivedWebhook, n: number) => number = () => 200): Promise<{
  url: string;
  received: ReceivedWebhook[];
  onWebhook: (f: (w: ReceivedWebhook) => void) => void;
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  let listener: ((w: ReceivedWebhook) => void) | null = null;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sig = req.headers['pay-signature'];
      const w: ReceivedWebhook = { raw: Buffer.concat(chunks).toString('utf8'), signature: typeof sig === 'string' ? sig : undefined, at: Date.now() };
      received.push(w);
      listener?.(w);
      res.writeHead(answer(w, received.length)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    onWebhook: (f) => {
      listener = f;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const waitFor = async (cond: () => boolean, timeoutMs = 5000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
