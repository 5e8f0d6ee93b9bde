import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { RenderedMessage, Transport } from '../outbox/worker.ts';

/**
 * E-mail over SMTP with nodemailer. One pooled connection set; a down server makes `send`
 * reject (the outbox retries), never hang: connection and socket time-outs are short.
 * nodemailer is loaded with the first message, not at start: it weighs on the host's start time
 * and memory, and many offices send nothing for a while after a restart.
 */
export function smtpTransport(opts: { url: string; from: string }): Transport {
  const u = new URL(opts.url);
  const secure = u.protocol === 'smtps:';
  const options: SMTPPool.Options = {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username === '' ? {} : { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }),
    // Pooled: a release rush confirms hundreds of bookings in seconds; one SMTP session per
    // message (connect, greeting, EHLO) cost more than the message.
    pool: true,
    maxConnections: 2,
    maxMessages: 500,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
    // The built-in sink and test servers speak plain SMTP on loopback.
    ignoreTLS: u.hostname === '127.0.0.1' || u.hostname === 'localhost',
  };
  let transporter: Promise<Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>> | null = null;
  return {
    async send(m: RenderedMessage, signal?: AbortSignal) {
      transporter ??= import('nodemailer').then(({ createTransport }) => createTransport(options));
      // Given up on (a server answering slower than the outbox waits): nodemailer closes the
      // connection delivering it, so it cannot be finished behind the retry's back.
      const info = (await (await transporter).sendMail({
        ...(signal === undefined ? {} : { signal }),
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html === undefined ? {} : { html: m.html }),
        ...(m.attachments === undefined ? {} : { attachments: m.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) }),
      })) as { messageId: string };
      return { providerId: info.messageId };
    },
    async close() {
      (await transporter)?.close();
    },
  };
}

export interface ReceivedMail {
  at: number;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number; content: string }[];
}

export interface MailSink {
  port: number;
  messages: ReceivedMail[];
  /** Resolves with the next mail that arrives (or one already there matching). */
  next(match?: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server keeping what it receives in memory (the last `keep`): the demo's mailbox and
 * the tests' peer. Plain SMTP, any sender, no authentication: bind it to loopback only.
 */
export async function startMailSink(opts: { host?: string; port?: number; keep?: number } = {}): Promise<MailSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  const keep = opts.keep ?? 200;
  // Loaded here, not at import: a host with a real SMTP server configured runs no sink.
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Fronta mail sink',
    onData(stream, session, callback) {
      // mailparser is loaded with the first mail: a host that starts has not received any yet.
      import('mailparser').then(({ simpleParser }) => simpleParser(stream)).then(
        (parsed) => {
          const mail: ReceivedMail = {
            at: Date.now(),
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, size: a.size, content: a.content.toString('utf8') })),
          };
          messages.push(mail);
          if (messages.length > keep) messages.splice(0, messages.length - keep);
          for (const w of waiters) {
            if (w.match(mail)) {
              waiters.delete(w);
              w.resolve(mail);
            }
          }
          callback();
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    messages,
    next(match = () => true, timeoutMs = 10_000) {
      const have = messages.find(match);
      if (have !== undefined) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (m: ReceivedMail) => (clearTimeout(timer), resolve(m)) };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error('no mail arrived in time'));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
