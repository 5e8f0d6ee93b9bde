import { describe, expect, it } from 'vitest';
import { carryOver, DEFAULT_ALERT_SETTINGS, evaluateAlerts, type AlertInput } from './alerts.ts';

const T0 = Date.UTC(2026, 11, 3, 9, 0);
const input = (over: Partial<AlertInput> = {}): AlertInput => ({ now: T0, services: [], printers: [], outbox: [], ...over });
const kinds = (i: AlertInput, s = DEFAULT_ALERT_SETTINGS) => evaluateAlerts(i, s).map((a) => `${a.kind}:${a.serviceId ?? a.deviceId ?? a.channel ?? ''}`);

describe('alerts', () => {
  it('a printer that cannot print stops the kiosk; one low on paper only warns', () => {
    const printers = [
      { deviceId: 'k1', state: 'ok', isPaperNearEnd: false },
      { deviceId: 'k2', state: 'ok', isPaperNearEnd: true },
      { deviceId: 'k3', state: 'paper_end', isPaperNearEnd: true },
      { deviceId: 'k4', state: 'no_agent', isPaperNearEnd: false },
    ];
    expect(kinds(input({ printers }))).toEqual(['paper_near_end:k2', 'printer_stopped:k3', 'printer_stopped:k4']);
  });

  it('a channel whose messages keep failing is a failing provider; the backlog counts every channel', () => {
    const outbox = [
      { channel: 'email', state: 'retrying', count: 2 },
      { channel: 'email', state: 'failed', count: 1 },
      { channel: 'sms', state: 'pending', count: 40 },
      { channel: 'sms', state: 'retrying', count: 1 },
    ];
    expect(kinds(input({ outbox }))).toEqual(['provider_failing:email']);
    expect(kinds(input({ outbox }), { ...DEFAULT_ALERT_SETTINGS, outboxBacklog: 43 })).toEqual(['provider_failing:email', 'outbox_backlog:']);
  });

  it('waits: an empty line never alerts; the target is the service’s own when it has one', () => {
    const services = [
      { id: 's1', waiting: 0, oldestArrivedAt: null, served: false, closedForDay: false },
      { id: 's2', waiting: 3, oldestArrivedAt: T0 - 29 * 60_000, served: true, closedForDay: false },
      { id: 's3', waiting: 1, oldestArrivedAt: T0 - 11 * 60_000, served: true, closedForDay: false },
    ];
    expect(kinds(input({ services }))).toEqual([]);
    expect(kinds(input({ services }), { ...DEFAULT_ALERT_SETTINGS, serviceTargets: { s3: 10 } })).toEqual(['wait_over_target:s3']);
    expect(kinds(input({ services, now: T0 + 60_000 }))).toEqual(['wait_over_target:s2']);
  });

  it('an alert that lasts keeps when it was raised; only raising or clearing is a change', () => {
    const services = [{ id: 's1', waiting: 2, oldestArrivedAt: T0, served: false, closedForDay: false }];
    const first = carryOver([], evaluateAlerts(input({ services }), DEFAULT_ALERT_SETTINGS));
    expect(first).toMatchObject({ changed: true, raised: [{ kind: 'queue_unserved', since: T0 }] });
    const later = carryOver(first.alerts, evaluateAlerts(input({ services: [{ ...services[0]!, waiting: 5 }], now: T0 + 60_000 }), DEFAULT_ALERT_SETTINGS));
    expect(later).toMatchObject({ changed: false, raised: [], alerts: [{ since: T0, value: 2 }] });
    expect(carryOver(later.alerts, [])).toMatchObject({ changed: true, alerts: [] });
  });
});
