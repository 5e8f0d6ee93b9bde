/**
 * Alerts for the floor view and the counter terminals: conditions a supervisor should act on
 * before a client complains. Pure: the monitor on the host gathers the figures and the time.
 */

export const ALERT_KINDS = ['wait_over_target', 'queue_unserved', 'paper_near_end', 'printer_stopped', 'provider_failing', 'outbox_backlog', 'webhook_paused'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  kind: AlertKind;
  /** What it is about: a service, a kiosk, or a delivery channel (`email`, `sms`); absent for the office. */
  serviceId?: string;
  deviceId?: string;
  channel?: string;
  /** The figure that raised it when it was raised (minutes waited, messages, a printer state). */
  value: number | string;
  /** The threshold it crossed, where there is one. */
  threshold?: number;
  /** When it was first raised (kept while it lasts). */
  since: number;
}

/** Thresholds of an office; supervisors change them. */
export interface AlertSettings {
  /** Longest wait (minutes) a service may reach before it alerts. */
  targetWaitMin: number;
  /** Services with a target of their own (service id → minutes). */
  serviceTargets: Readonly<Record<string, number>>;
  /** Messages waiting to go out (pending or retrying) before the backlog alerts. */
  outboxBacklog: number;
  /** Messages of one channel failing (retrying or given up) before the provider is reported failing. */
  providerFailures: number;
  /** Also e-mail the office's supervisors and admins who gave an address when an alert is raised. */
  emailSupervisors: boolean;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  targetWaitMin: 30,
  serviceTargets: {},
  outboxBacklog: 50,
  providerFailures: 3,
  emailSupervisors: false,
};

/**
 * The thresholds as stored in the office configuration: a field missing (saved before it existed)
 * reads as its default; the first shape's `waitMinOver` (minutes the oldest walk-in waited) is the
 * office's target wait. Unknown fields are dropped.
 */
export function alertSettingsOf(stored: unknown): AlertSettings {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<AlertSettings> & { waitMinOver?: number | null };
  const legacyTarget = typeof s.waitMinOver === 'number' ? s.waitMinOver : undefined;
  return {
    targetWaitMin: s.targetWaitMin ?? legacyTarget ?? DEFAULT_ALERT_SETTINGS.targetWaitMin,
    serviceTargets: s.serviceTargets ?? DEFAULT_ALERT_SETTINGS.serviceTargets,
    outboxBacklog: s.outboxBacklog ?? DEFAULT_ALERT_SETTINGS.outboxBacklog,
    providerFailures: s.providerFailures ?? DEFAULT_ALERT_SETTINGS.providerFailures,
    emailSupervisors: s.emailSupervisors ?? DEFAULT_ALERT_SETTINGS.emailSupervisors,
  };
}

export interface AlertInput {
  now: number;
  services: readonly {
    id: string;
    waiting: number;
    oldestArrivedAt: number | null;
    /** At least one open (not paused) counter takes this service now. */
    served: boolean;
    closedForDay: boolean;
  }[];
  /** Kiosks with a printer, as their print agents report. */
  printers: readonly { deviceId: string; state: string; isPaperNearEnd: boolean }[];
  outbox: readonly { channel: string; state: string; count: number }[];
  /** Webhook subscriptions paused because a delivery failed for a day (absent: none). */
  webhooksPaused?: number;
}

/** States in which a kiosk's printer cannot print (see core/queue/printer.ts). */
const STOPPED = new Set(['paper_end', 'cover_open', 'offline', 'no_answer', 'disconnected', 'no_agent']);

/** The identity of an alert: one alert per kind and subject, however its figure moves. */
export const alertKey = (a: Pick<Alert, 'kind' | 'serviceId' | 'deviceId' | 'channel'>): string =>
  `${a.kind}:${a.serviceId ?? ''}:${a.deviceId ?? ''}:${a.channel ?? ''}`;

/** The alerts that hold now, `since` = now (see `carryOver`). */
export function evaluateAlerts(input: AlertInput, settings: AlertSettings): Alert[] {
  const { now } = input;
  const out: Alert[] = [];
  for (const s of input.services) {
    if (s.waiting === 0) continue;
    const target = settings.serviceTargets[s.id] ?? settings.targetWaitMin;
    const waited = s.oldestArrivedAt === null ? 0 : Math.floor((now - s.oldestArrivedAt) / 60_000);
    if (waited >= target) out.push({ kind: 'wait_over_target', serviceId: s.id, value: waited, threshold: target, since: now });
    // A service closed for the day still owes its waiting clients a counter.
    if (!s.served) out.push({ kind: 'queue_unserved', serviceId: s.id, value: s.waiting, since: now });
  }
  for (const p of input.printers) {
    if (STOPPED.has(p.state)) out.push({ kind: 'printer_stopped', deviceId: p.deviceId, value: p.state, since: now });
    else if (p.isPaperNearEnd || p.state === 'near_end') out.push({ kind: 'paper_near_end', deviceId: p.deviceId, value: 'near_end', since: now });
  }
  const byChannel = new Map<string, { backlog: number; failing: number }>();
  for (const o of input.outbox) {
    const c = byChannel.get(o.channel) ?? { backlog: 0, failing: 0 };
    if (o.state === 'pending' || o.state === 'retrying' || o.state === 'sending') c.backlog += o.count;
    if (o.state === 'retrying' || o.state === 'failed') c.failing += o.count;
    byChannel.set(o.channel, c);
  }
  let backlog = 0;
  for (const [channel, c] of [...byChannel].sort(([a], [b]) => a.localeCompare(b))) {
    backlog += c.backlog;
    if (c.failing >= settings.providerFailures) out.push({ kind: 'provider_failing', channel, value: c.failing, threshold: settings.providerFailures, since: now });
  }
  if (backlog >= settings.outboxBacklog) out.push({ kind: 'outbox_backlog', value: backlog, threshold: settings.outboxBacklog, since: now });
  // Another system has stopped hearing from the office until an admin resumes its webhook.
  if ((input.webhooksPaused ?? 0) > 0) out.push({ kind: 'webhook_paused', value: input.webhooksPaused ?? 0, since: now });
  return out;
}

/**
 * Alerts that were already raised keep their `since` (and the figure they were raised with: the
 * page shows "since 10:42", not a number that changes every minute). `changed` is true when an
 * alert was raised or cleared, the only moments worth telling the pages.
 */
export function carryOver(previous: readonly Alert[], current: readonly Alert[]): { alerts: Alert[]; changed: boolean; raised: Alert[] } {
  const before = new Map(previous.map((a) => [alertKey(a), a]));
  const alerts = current.map((a) => before.get(alertKey(a)) ?? a);
  const raised = alerts.filter((a) => !before.has(alertKey(a)));
  const changed = raised.length > 0 || alerts.length !== previous.length;
  return { alerts, changed, raised };
}
