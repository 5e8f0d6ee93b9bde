import type { FastifyInstance } from 'fastify';
import type { ConfirmRule, HoldCheck } from '../core/booking/deps.ts';
import { storeOpeningDays } from '../core/booking/availability.ts';
import { sweepLapsedHolds } from '../core/booking/hold.ts';
import type { BookingStore, Keyed, Secrets } from '../core/booking/ports.ts';
import { lapseOverdueBookings } from '../core/booking/check-in.ts';
import { runDueDraws } from '../core/booking/draw.ts';
import { purgePersonalData } from '../core/booking/retention.ts';
import { banCheck, noticeNoShows } from '../core/rules/bans.ts';
import { eligibilityCheck } from '../core/rules/eligibility.ts';
import { identityCancelAll, identityKeyCheck } from '../core/rules/identity.ts';
import { nationalIdCheck } from '../core/rules/national-id.ts';
import { rosterCheck } from '../core/rules/roster.ts';
import type { OutboxStore } from '../core/booking/outbox.ts';
import type { Clock, QueueRuntime } from '../core/queue/ports.ts';
import { startMailSink, smtpTransport, type MailSink } from '../drivers/mail/smtp.ts';
import { OutboxWorker, type OpenedMessage, type Transport } from '../drivers/outbox/worker.ts';
import { smppTransport, startSmsSink, type SmsSink } from '../drivers/sms/smpp.ts';
import { messageRenderer } from '../server/messages.ts';
import type { BookingServerDeps } from '../server/deps.ts';
import type { BookingConfig } from './config.ts';
import type { Stores } from './stores.ts';
import { loadKeyMaterial, nodeKeyed, nodeSecrets } from './crypto.ts';
import { oneHost, type BackgroundWork } from './background-work.ts';

export interface BookingRuntime {
  server: BookingServerDeps;
  worker: OutboxWorker;
  store: BookingStore;
  outbox: OutboxStore;
  keyed: Keyed;
  mailSink: MailSink | null;
  smsSink: SmsSink | null;
  /** One sweep: expires lapsed holds, stores the slots of days about to open, lapses bookings past their check-in window, runs due draws (every few seconds). */
  sweep(): Promise<void>;
  /** The retention purge of personal data (every hour, and once at start). */
  purge(): Promise<void>;
  /** Adds work to each sweep, run only where this host may run background work (the fees' deadlines and reconciliation). */
  addSweep(work: () => Promise<unknown>): void;
  /** Starts the worker and the sweep timer. */
  start(): void;
  close(): Promise<void>;
}

export interface BookingParts {
  /** The database's stores (host/stores.ts): SQLite or PostgreSQL. */
  stores: Pick<Stores, 'booking' | 'rules' | 'roster' | 'retention' | 'outbox' | 'templates'>;
  queue: QueueRuntime;
  clock: Clock;
  config: BookingConfig;
  dataDir: string;
  publicUrl: string;
  /** Overrides (tests): fixed keys and randomness, a transport of their own. */
  keyed?: Keyed;
  secrets?: Secrets;
  transports?: Partial<Record<'email' | 'sms', Transport>>;
  checks?: readonly HoldCheck[];
  onConfirm?: readonly ConfirmRule[];
  limits?: BookingServerDeps['limits'];
  /** Start built-in sinks when no SMTP/SMPP address is configured (default true). */
  sinks?: boolean;
  sweepMs?: number;
  purgeMs?: number;
  /** How long the outbox waits for a provider's answer before it retries (tests scale it down). */
  sendTimeoutMs?: number;
  log?: { error(obj: unknown, msg?: string): void };
  /** Several hosts: the sweep, the purge and the outbox run where this host holds their lease (default: this host alone). */
  background?: BackgroundWork;
}

/**
 * Online booking on the host: the store on the shared database, the secrets from configuration,
 * the outbox worker with SMTP and SMPP (or the built-in sinks), and the sweep that frees lapsed
 * holds and closes application windows.
 */
export async function createBooking(p: BookingParts): Promise<BookingRuntime> {
  const keyed = p.keyed ?? nodeKeyed(loadKeyMaterial(p.config, p.dataDir));
  const secrets = p.secrets ?? nodeSecrets;
  const background = p.background ?? oneHost;
  const store = p.stores.booking(keyed);
  const serviceRules = { rules: p.stores.rules, roster: p.stores.roster, retention: p.stores.retention };
  // Rosters and eligibility run after the identity rules (cheapest refusals first).
  const checks = p.checks ?? [
    nationalIdCheck,
    identityKeyCheck,
    banCheck,
    rosterCheck(serviceRules.rules, serviceRules.roster),
    eligibilityCheck(serviceRules.rules),
  ];
  const onConfirm = p.onConfirm ?? [identityCancelAll];
  const outbox = p.stores.outbox;

  const useSinks = p.sinks !== false;
  let mailSink: MailSink | null = null;
  let smsSink: SmsSink | null = null;
  let email = p.transports?.email;
  let sms = p.transports?.sms;
  if (email === undefined) {
    let url = p.config.smtpUrl;
    if (url === null && useSinks) {
      mailSink = await startMailSink();
      url = `smtp://127.0.0.1:${mailSink.port}`;
    }
    email = url === null ? unconfigured('SMTP') : smtpTransport({ url, from: p.config.mailFrom });
  }
  if (sms === undefined) {
    let url = p.config.smppUrl;
    if (url === null && useSinks) {
      smsSink = await startSmsSink({ systemId: p.config.smppSystemId, password: p.config.smppPassword });
      url = `smpp://127.0.0.1:${smsSink.port}`;
    }
    sms = url === null ? unconfigured('SMPP') : smppTransport({ url, systemId: p.config.smppSystemId, password: p.config.smppPassword, sourceAddr: p.config.smsFrom });
  }

  // The office's own message templates, where it changed them (read at send time).
  const render = messageRenderer(p.stores.templates);
  const worker = new OutboxWorker({
    clock: p.clock,
    claim: (channel, now, limit) => outbox.claim(channel, now, limit),
    recordSent: (id, now, providerId) => outbox.recordSent(id, now, providerId),
    recordFailed: (id, _now, error, next) => outbox.recordFailed(id, error, next),
    open: (sealed) => {
      const plain = keyed.open(sealed);
      return plain === null ? null : (JSON.parse(plain) as OpenedMessage);
    },
    render,
    transports: { email, sms },
    mayRun: () => background.mayRun('outbox'),
    recover: () => outbox.recoverInterrupted(),
    ...(p.sendTimeoutMs === undefined ? {} : { sendTimeoutMs: p.sendTimeoutMs }),
    ...(p.log === undefined ? {} : { onError: (e: unknown) => p.log!.error({ err: e }, 'outbox worker') }),
  });

  const deps = () => ({ bookings: store, clock: p.clock });
  const extraSweeps: (() => Promise<unknown>)[] = [];
  let timer: NodeJS.Timeout | null = null;
  let purgeTimer: NodeJS.Timeout | null = null;
  const sweep = async (): Promise<void> => {
    if (!(await background.mayRun('booking-sweep'))) return;
    await p.queue.run(() => sweepLapsedHolds(deps()));
    await p.queue.run((qs) => storeOpeningDays({ store: qs, bookings: store, clock: p.clock }));
    // Bookings nobody checked in for by the end of their window lapse (and count as no-shows).
    await p.queue.run((qs) => lapseOverdueBookings({ store: qs, bookings: store, clock: p.clock }));
    // Lapses just now, and clerks' no-shows since the last sweep: each client is told once.
    const told = await p.queue.run((qs) => noticeNoShows({ store: qs, bookings: store, clock: p.clock, secrets, keyed, publicUrl: p.publicUrl, checks, onConfirm }));
    if (told > 0) worker.kick();
    const ran = await p.queue.run((qs) =>
      runDueDraws({ store: qs, bookings: store, clock: p.clock, secrets, keyed, publicUrl: p.publicUrl, checks, onConfirm }),
    );
    if (ran.length > 0) worker.kick();
    for (const work of extraSweeps) await work();
  };
  const purge = async (): Promise<void> => {
    if (!(await background.mayRun('retention-purge'))) return;
    await p.queue.run((qs) => purgePersonalData({ store: qs, bookings: store, retention: serviceRules.retention, clock: p.clock }));
  };

  return {
    server: {
      store,
      secrets,
      keyed,
      checks,
      onConfirm,
      serviceRules,
      outbox,
      onQueued: () => worker.kick(),
      ...(p.limits === undefined ? {} : { limits: p.limits }),
      trustProxy: p.config.trustProxy,
    },
    worker,
    store,
    outbox,
    keyed,
    mailSink,
    smsSink,
    sweep,
    purge,
    addSweep(work) {
      extraSweeps.push(work);
    },
    start() {
      worker.start(1000);
      timer = setInterval(() => {
        sweep().catch((e: unknown) => p.log?.error({ err: e }, 'booking sweep'));
      }, p.sweepMs ?? 5000);
      timer.unref();
      const purgeNow = (): void => {
        purge().catch((e: unknown) => p.log?.error({ err: e }, 'retention purge'));
      };
      purgeNow();
      purgeTimer = setInterval(purgeNow, p.purgeMs ?? 3600_000);
      purgeTimer.unref();
    },
    async close() {
      if (timer !== null) clearInterval(timer);
      if (purgeTimer !== null) clearInterval(purgeTimer);
      await worker.stop();
      await email.close?.();
      await sms.close?.();
      await mailSink?.close();
      await smsSink?.close();
    },
  };
}

function unconfigured(what: string): Transport {
  return {
    send: () => Promise.reject(new Error(`${what} is not configured`)),
  };
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Links in a text, escaped, made clickable (only http(s) to this host's public address). */
const linkify = (text: string, base: string): string =>
  esc(text).replace(/https?:\/\/[^\s<]+/g, (url) => (url.startsWith(esc(base)) ? `<a href="${url}">${url}</a>` : url));

/** The demo's mailbox and phone: what the built-in SMTP and SMPP sinks received, newest first. */
export function demoMessagesPage(app: FastifyInstance, booking: BookingRuntime, publicUrl: string): void {
  // The same as JSON (oldest first), for scripts and end-to-end tests; attachments by name only.
  app.get('/demo/messages.json', { schema: { hide: true } }, async () => ({
    mails: (booking.mailSink?.messages ?? []).map((m) => ({ at: m.at, to: m.to, subject: m.subject, text: m.text, attachments: m.attachments.map((a) => a.filename) })),
    sms: (booking.smsSink?.messages ?? []).map((m) => ({ at: m.at, to: m.to, text: m.text })),
  }));
  app.get('/demo/messages', { schema: { hide: true } }, async (req, reply) => {
    const t = req.t;
    const mails = [...(booking.mailSink?.messages ?? [])].reverse();
    const smses = [...(booking.smsSink?.messages ?? [])].reverse();
    const mailHtml = mails
      .map(
        (m) => `<article class="msg"><h3>${esc(m.subject)}</h3><p class="meta">${esc(t('demoMessages.to'))} ${esc(m.to.join(', '))} · ${new Date(m.at).toISOString()}</p>
<pre>${linkify(m.text, publicUrl)}</pre>${m.attachments.length > 0 ? `<p class="meta">${esc(t('demoMessages.attachments'))}: ${m.attachments.map((a) => esc(a.filename)).join(', ')}</p>` : ''}</article>`,
      )
      .join('');
    const smsHtml = smses
      .map((m) => `<article class="msg"><p class="meta">${esc(t('demoMessages.to'))} ${esc(m.to)} · ${new Date(m.at).toISOString()}</p><pre>${linkify(m.text, publicUrl)}</pre></article>`)
      .join('');
    void reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="${req.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>${esc(t('demoMessages.title'))}</title><link rel="stylesheet" href="/static/demo.css"></head>
<body><h1>${esc(t('demoMessages.title'))}</h1><p>${esc(t('demoMessages.intro'))}</p>
<div class="cols"><section><h2>${esc(t('demoMessages.mail'))} (${mails.length})</h2>${mailHtml || `<p>${esc(t('demoMessages.none'))}</p>`}</section>
<section><h2>${esc(t('demoMessages.sms'))} (${smses.length})</h2>${smsHtml || `<p>${esc(t('demoMessages.none'))}</p>`}</section></div></body></html>`);
  });
}
