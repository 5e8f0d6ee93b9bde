import { html, nothing, type TemplateResult } from 'lit-html';
import type { z } from 'zod';
import { OfficeChangeResponse } from '../../../contracts/office-change.ts';
import type { AffectedBookingT } from '../../../contracts/office-config.ts';
import { api } from '../../shared/api.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { configPath, loadConfig, nameOf } from '../config-write.ts';
import { OFFICE_CHANGE_SECTION, type Ctx, type Section } from '../section.ts';

/**
 * The step after a saved change that left bookings without their time (a closed day, shorter
 * hours, a service no counter serves): each booking with its time, service and booking number —
 * nothing about the client —, the nearest free time a move would give it (asked of the host
 * first, nothing changed), and per booking or for all of them: move there, or cancel. Each client
 * is told by the host (a message with a calendar update); the outcome lists what was done.
 */

type Outcome = z.infer<typeof OfficeChangeResponse>['bookings'][number];
type Action = 'move' | 'cancel';

function create(ctx: Ctx) {
  /** Still to resolve (a booking with no free time stays here: it can still be cancelled). */
  let pending: AffectedBookingT[] = [];
  /** The new time a move would give each pending booking, or null when there is none. */
  let proposed = new Map<string, number | null>();
  /** What was done, in the order it was done. */
  let done: Outcome[] = [];
  let serviceNames = new Map<string, string>();

  const path = (): string => `${configPath(ctx)}/office-change`;
  // The office's clock, on the 24-hour dial the office's own times are written in.
  const when = (at: number): string =>
    new Intl.DateTimeFormat(currentLang(), { timeZone: ctx.timeZone(), weekday: 'short', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(at),
    );

  /**
   * Asks the host which time a move would give each pending booking now (nothing changed); one
   * that is no longer an active booking (its client cancelled it meanwhile) leaves the list.
   */
  const propose = async (): Promise<void> => {
    if (pending.length === 0) return void (proposed = new Map());
    const r = await api('POST', `${path()}?preview=1`, OfficeChangeResponse, { bookingIds: pending.map((b) => b.bookingId), action: 'move' });
    const gone = new Set(r.bookings.filter((o) => o.reason === 'not-active').map((o) => o.bookingId));
    proposed = new Map(r.bookings.map((o) => [o.bookingId, o.toStartAt]));
    pending = pending.filter((b) => !gone.has(b.bookingId));
    ctx.strand(pending, false);
  };

  const load = async (): Promise<void> => {
    const config = await loadConfig(ctx);
    serviceNames = new Map(config.services.map((s) => [s.id, nameOf(s.names, currentLang())]));
    pending = [...ctx.stranded()];
    done = [];
    // Drawn only with the times a move would give: an action is never offered blind.
    await propose();
    ctx.update();
  };

  const apply = (list: readonly AffectedBookingT[], action: Action): void =>
    ctx.actions.run(
      `office-change:${action}`,
      async () => {
        const r = await api('POST', path(), OfficeChangeResponse, { bookingIds: list.map((b) => b.bookingId), action });
        done = [...done, ...r.bookings];
        const resolved = new Set(r.bookings.filter((o) => o.outcome !== 'kept' || o.reason === 'not-active').map((o) => o.bookingId));
        pending = pending.filter((b) => !resolved.has(b.bookingId));
        await propose();
        ctx.notice(t(pending.length === 0 ? 'backoffice.officeChange.allDone' : 'backoffice.officeChange.someDone', { n: r.bookings.filter((o) => o.outcome !== 'kept').length }));
        queueMicrotask(() => document.getElementById(pending.length === 0 ? 'office-change-outcome-title' : 'office-change-pending-title')?.focus());
      },
      (e) => ctx.problem(e),
    );

  /** Asks first: the client is told at once, and a message sent cannot be taken back. */
  const ask = (list: readonly AffectedBookingT[], action: Action): void => {
    const one = list.length === 1 ? list[0]! : null;
    const to = one === null ? undefined : proposed.get(one.bookingId);
    ctx.confirm({
      title: t(`backoffice.officeChange.${action}Title`, { n: list.length }),
      body: html`<p>
          ${one === null
            ? t(`backoffice.officeChange.${action}AllBody`, { n: list.length })
            : t(`backoffice.officeChange.${action}OneBody`, { number: one.number, from: when(one.startAt), to: to == null ? '' : when(to) })}
        </p>
        <p>${t('backoffice.officeChange.told')}</p>`,
      confirmLabel: t(`backoffice.officeChange.${action}Confirm`, { n: list.length }),
      onConfirm: () => apply(list, action),
    });
  };

  const proposal = (b: AffectedBookingT): string => {
    const to = proposed.get(b.bookingId);
    return to == null ? t('backoffice.officeChange.noFreeTime') : when(to);
  };

  const row = (b: AffectedBookingT): TemplateResult => {
    const canMove = proposed.get(b.bookingId) != null;
    const busy = ctx.actions.isBusy('office-change:move') || ctx.actions.isBusy('office-change:cancel');
    return html`<tr data-booking=${b.number}>
      <td>${when(b.startAt)}</td>
      <td>${serviceNames.get(b.serviceId) ?? b.serviceId}</td>
      <th scope="row"><code>${b.number}</code></th>
      <td>${t(`backoffice.config.reasons.${b.reason}`)}</td>
      <td data-proposed>${proposal(b)}</td>
      <td class="act">
        ${canMove
          ? button({ label: t('backoffice.officeChange.move'), ariaLabel: t('backoffice.officeChange.moveOf', { number: b.number }), isBusy: busy, onClick: () => ask([b], 'move') })
          : nothing}
        ${button({ label: t('backoffice.officeChange.cancel'), ariaLabel: t('backoffice.officeChange.cancelOf', { number: b.number }), isBusy: busy, onClick: () => ask([b], 'cancel') })}
      </td>
    </tr>`;
  };

  const pendingView = (): TemplateResult => {
    const movable = pending.filter((b) => proposed.get(b.bookingId) != null);
    return html`<section class="card" aria-labelledby="office-change-pending-title">
      <h2 id="office-change-pending-title" tabindex="-1">${t('backoffice.officeChange.pending', { n: pending.length })}</h2>
      <p class="hint">${t('backoffice.officeChange.intro')}</p>
      <table class="grid" data-testid="office-change">
        <thead>
          <tr>
            <th scope="col">${t('backoffice.officeChange.time')}</th>
            <th scope="col">${t('backoffice.officeChange.service')}</th>
            <th scope="col">${t('backoffice.officeChange.number')}</th>
            <th scope="col">${t('backoffice.officeChange.reason')}</th>
            <th scope="col">${t('backoffice.officeChange.proposed')}</th>
            <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${pending.map(row)}
        </tbody>
      </table>
      <div class="actions">
        ${movable.length > 0
          ? button({ id: 'office-change-move-all', label: t('backoffice.officeChange.moveAll', { n: movable.length }), isPrimary: true, isBusy: ctx.actions.isBusy('office-change:move'), onClick: () => ask(movable, 'move') })
          : nothing}
        ${button({ id: 'office-change-cancel-all', label: t('backoffice.officeChange.cancelAll', { n: pending.length }), isBusy: ctx.actions.isBusy('office-change:cancel'), onClick: () => ask(pending, 'cancel') })}
      </div>
    </section>`;
  };

  const result = (o: Outcome): string => {
    if (o.outcome === 'moved' && o.toStartAt !== null) return t('backoffice.officeChange.movedTo', { to: when(o.toStartAt) });
    if (o.outcome === 'cancelled') return t('backoffice.officeChange.cancelled');
    return t(`backoffice.officeChange.kept.${o.reason ?? 'not-active'}`);
  };

  const outcomeView = (): TemplateResult => html`<section class="card" aria-labelledby="office-change-outcome-title">
    <h2 id="office-change-outcome-title" tabindex="-1">${t('backoffice.officeChange.outcome')}</h2>
    <table class="grid" data-testid="office-change-outcome">
      <thead>
        <tr>
          <th scope="col">${t('backoffice.officeChange.number')}</th>
          <th scope="col">${t('backoffice.officeChange.was')}</th>
          <th scope="col">${t('backoffice.officeChange.result')}</th>
          <th scope="col">${t('backoffice.officeChange.message')}</th>
        </tr>
      </thead>
      <tbody>
        ${done.map(
          (o) => html`<tr data-booking=${o.number} data-outcome=${o.outcome}>
            <th scope="row"><code>${o.number}</code></th>
            <td>${o.fromStartAt === 0 ? '—' : when(o.fromStartAt)}</td>
            <td>${result(o)}</td>
            <td>${o.outcome === 'kept' ? '—' : t('backoffice.officeChange.queued')}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;

  return {
    load,
    view: () =>
      html`${pending.length === 0 && done.length === 0 ? html`<section class="card"><p>${t('backoffice.officeChange.none')}</p></section>` : nothing}
      ${pending.length > 0 ? pendingView() : nothing} ${done.length > 0 ? outcomeView() : nothing}`,
  };
}

export const officeChangeSection: Section = { id: OFFICE_CHANGE_SECTION, titleKey: 'backoffice.officeChange.title', role: 'supervisor', create };
