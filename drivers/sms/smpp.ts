import type { Pdu, Session } from 'smpp';
import type { RenderedMessage, Transport } from '../outbox/worker.ts';

const ESME_ROK = 0;

/**
 * SMS over SMPP (transceiver bind). The session is opened on first use and again after it
 * drops; a gateway that is down makes `send` reject and the outbox retries. The smpp library is
 * loaded then too (here and in the sink): an office that sends no SMS never loads it.
 */
export function smppTransport(opts: { url: string; systemId: string; password: string; sourceAddr: string }): Transport {
  let session: Promise<Session> | null = null;
  const connect = async (): Promise<Session> => {
    const { default: smpp } = await import('smpp');
    return new Promise<Session>((resolve, reject) => {
      const s = smpp.connect({ url: opts.url, auto_enquire_link_period: 30_000 });
      const drop = (): void => {
        if (session !== null) session = null;
      };
      s.on('error', (e: Error) => {
        drop();
        reject(e);
      });
      s.on('close', drop);
      s.on('connect', () => {
        s.bind_transceiver({ system_id: opts.systemId, password: opts.password }, (pdu) => {
          if (pdu.command_status === ESME_ROK) resolve(s);
          else {
            s.destroy();
            reject(new Error(`SMPP bind refused (status ${pdu.command_status})`));
          }
        });
      });
    });
  };
  return {
    async send(m: RenderedMessage, signal?: AbortSignal) {
      const pending = (session ??= connect());
      // Given up on (a gateway answering slower than the outbox waits): the session is dropped, so
      // a late bind or a queued submit cannot deliver this message behind the retry's back.
      const drop = (): void => {
        if (session === pending) session = null;
        void pending.then((x) => x.destroy(), () => undefined);
      };
      const isGivenUp = (): boolean => signal?.aborted === true;
      if (isGivenUp()) throw new Error('SMS send given up');
      signal?.addEventListener('abort', drop, { once: true });
      let s: Session;
      try {
        s = await pending;
      } catch (e) {
        if (session === pending) session = null;
        signal?.removeEventListener('abort', drop);
        throw e;
      }
      if (isGivenUp()) throw new Error('SMS send given up');
      // Long or non-GSM texts go as message_payload (the library picks GSM or UCS-2).
      const body = m.text.length > 70 ? { message_payload: m.text } : { short_message: m.text };
      return new Promise<{ providerId: string }>((resolve, reject) => {
        s.submit_sm({ source_addr: opts.sourceAddr, destination_addr: m.to.replace(/^\+/, ''), registered_delivery: 1, ...body }, (pdu: Pdu) => {
          signal?.removeEventListener('abort', drop);
          if (pdu.command_status === ESME_ROK) resolve({ providerId: pdu.message_id ?? '' });
          else reject(new Error(`SMPP submit refused (status ${pdu.command_status})`));
        });
      });
    },
    async close() {
      const s = session;
      session = null;
      if (s !== null) (await s.catch(() => null))?.destroy();
    },
  };
}

export interface ReceivedSms {
  at: number;
  to: string;
  from: string;
  text: string;
  messageId: string;
}

export interface SmsSink {
  port: number;
  messages: ReceivedSms[];
  next(match?: (m: ReceivedSms) => boolean, timeoutMs?: number): Promise<ReceivedSms>;
  close(): Promise<void>;
}

const textOf = (v: Pdu['short_message']): string =>
  v === undefined ? '' : typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : (v.message ?? '');

/** A real SMPP server (SMSC stand-in) keeping what it receives: the demo's phone and the tests' peer. */
export async function startSmsSink(opts: { host?: string; port?: number; keep?: number; systemId?: string; password?: string } = {}): Promise<SmsSink> {
  const messages: ReceivedSms[] = [];
  const waiters = new Set<{ match: (m: ReceivedSms) => boolean; resolve: (m: ReceivedSms) => void }>();
  let seq = 0;
  const { default: smpp } = await import('smpp');
  const server = smpp.createServer({}, (session: Session) => {
    session.on('error', () => session.destroy());
    const bind = (pdu: Pdu): void => {
      const okCreds = (opts.systemId === undefined || pdu.system_id === opts.systemId) && (opts.password === undefined || pdu.password === opts.password);
      session.send(pdu.response({ command_status: okCreds ? ESME_ROK : 0x0e }));
      if (!okCreds) session.close();
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: Pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: Pdu) => {
      const messageId = `sink-${++seq}`;
      const sms: ReceivedSms = {
        at: Date.now(),
        to: `+${pdu.destination_addr ?? ''}`,
        from: pdu.source_addr ?? '',
        text: textOf(pdu.message_payload) || textOf(pdu.short_message),
        messageId,
      };
      messages.push(sms);
      if (messages.length > (opts.keep ?? 200)) messages.splice(0, 1);
      session.send(pdu.response({ message_id: messageId }));
      for (const w of waiters) {
        if (w.match(sms)) {
          waiters.delete(w);
          w.resolve(sms);
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    messages,
    next(match = () => true, timeoutMs = 10_000) {
      const have = messages.find(match);
      if (have !== undefined) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (m: ReceivedSms) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error('no SMS arrived in time'));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of [...server.sessions]) s.destroy();
        server.close(() => resolve());
      }),
  };
}
