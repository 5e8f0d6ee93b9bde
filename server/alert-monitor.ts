import { carryOver, evaluateAlerts, type Alert, type AlertInput } from '../core/alerts/alerts.ts';
import { servedNow } from '../core/queue/estimate.ts';
import type { LoggedEvent } from '../core/shared/events.ts';
import { localTime } from '../core/shared/office-time.ts';
import type { AlertsConfig, ServerDeps } from './deps.ts';
import type { PrintAgents } from './print-agents.ts';


/** Events after which the alerts may have changed: looked at again soon, not on every one. */
const WORTH_A_LOOK = new Set(['queue:changed', 'counter:changed', 'printer:changed', 'service:closed']);

/**
 * Keeps each office's alerts: looks at the lines, counters, printers and outbox every interval and
 * shortly after an event that may change them, and appends `alerts:changed` to the office's event
 * log when one is raised or cleared — so floor views and counter terminals get it like any event,
 * replay included. Waits cross their target as time passes, with no event: hence the interval.
 *
 * Several hosts: one of them looks (the holder of the alerts' lease), every host's events wake it
 * (the log's tail), and every host keeps the alerts the log last announced for its pages. A host
 * taking the lease over reads them from the log first, so what the last holder raised is not
 * raised, nor mailed, again.
 */
export class AlertMonitor {
  private readonly current = new Map<string, Alert[]>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  /** Whether this host looked last time (several hosts); false forces a read of the log before it looks again. */
  private looking = false;

  constructor(
    private readonly deps: ServerDeps,
    private readonly printAgents: PrintAgents,
    private readonly config: AlertsConfig,
  ) {
    const seen = (events: readonly LoggedEvent[]): void => {
      for (const e of events) if (e.type === 'alerts:changed') this.current.set(e.officeId, e.payload.alerts);
      if (events.some((e) => WORTH_A_LOOK.has(e.type))) this.checkSoon();
    };
    this.unsubscribe = deps.live === undefined ? deps.queue.onCommit(seen) : deps.live.subscribe(seen);
  }

  async start(): Promise<void> {
    await this.readAnnounced();
    this.timer = setInterval(() => this.checkSoon(0), this.config.intervalMs ?? 15_000);
    this.timer.unref();
    this.checkSoon(0);
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.unsubscribe();
  }

  /** The office's alerts now (a page's first read; events follow). */
  alerts(officeId: string): Alert[] {
    return this.current.get(officeId) ?? [];
  }

  /** Looks at every office now; resolves once any change is durable (tests and the interval use it). */
  check(): Promise<void> {
    this.running = this.running.then(() => this.checkAll()).catch(() => undefined);
    return this.running;
  }

  private checkSoon(delayMs = 250): void {
    if (this.soon !== undefined) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.check();
    }, delayMs);
    this.soon.unref();
  }

  /**
   * What the pages were last told, from the log: it survives a restart (an alert still true keeps
   * its `since`, and is not announced again) and a change of the host that looks.
   */
  private async readAnnounced(): Promise<void> {
    for (const office of await this.deps.queue.read((s) => s.listOffices())) {
      const last = (await this.deps.events.latestOfType(office.id, 'alerts:changed', 1))[0];
      if (last !== undefined) this.current.set(office.id, last.payload.alerts);
    }
  }

  private async checkAll(): Promise<void> {
    if (this.config.mayRun !== undefined) {
      const was = this.looking;
      this.looking = await this.config.mayRun();
      if (!this.looking) return;
      if (!was) await this.readAnnounced();
    }
    const outbox = await this.config.outbox();
    const paused = new Map((await (this.config.webhooksPaused?.() ?? Promise.resolve([]))).map((w) => [w.officeId, w.count]));
    const offices = await this.deps.queue.read((s) => s.listOffices());
    for (const office of offices) {
      const settings = await this.config.settings.get(office.id);
      const input = { ...(await this.input(office.id, office.timeZone, outbox)), webhooksPaused: paused.get(office.id) ?? 0 };
      const { alerts, changed, raised } = carryOver(this.alerts(office.id), evaluateAlerts(input, settings));
      if (!changed) continue;
      await this.deps.queue.run((store) => store.appendEvent({ type: 'alerts:changed', officeId: office.id, payload: { alerts } }, input.now));
      this.current.set(office.id, alerts);
      // Once per episode: `raised` holds only what was not raised before (a restart remembers).
      if (raised.length > 0 && settings.emailSupervisors) await this.config.onRaised?.(office.id, raised);
    }
  }

  private async input(officeId: string, timeZone: string, outbox: Awaited<ReturnType<AlertsConfig['outbox']>>): Promise<AlertInput> {
    const now = this.deps.clock.now();
    const services = await this.deps.queue.read(async (s) => {
      const load = new Map((await s.serviceLoad(officeId)).map((l) => [l.serviceId, l]));
      const open = (await s.listCounters(officeId)).filter((c) => c.status === 'open');
      const closed = new Set(await s.closedServices(officeId, localTime(timeZone, now).date));
      return (await s.listServices(officeId)).map((svc) => ({
        id: svc.id,
        waiting: load.get(svc.id)?.waiting ?? 0,
        oldestArrivedAt: load.get(svc.id)?.oldestArrivedAt ?? null,
        served: open.some((c) => servedNow(c).includes(svc.id)),
        closedForDay: closed.has(svc.id),
      }));
    });
    const printers = (await this.deps.access.listDevices(officeId))
      .filter((d) => d.kind === 'kiosk' && d.printer === 'agent' && d.revokedAt === null)
      .map((d) => {
        const v = this.printAgents.view(d);
        return { deviceId: d.id, state: v.state, isPaperNearEnd: v.isPaperNearEnd };
      });
    return { now, services, printers, outbox: outbox.filter((o) => o.officeId === officeId) };
  }
}
