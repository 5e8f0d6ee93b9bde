import { html, nothing, type TemplateResult } from 'lit-html';
import { StatsQuery, StatsReportResponse, type StatsReportResponseT } from '../../../contracts/stats.ts';
import { api } from '../../shared/api.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { FormErrors, onSubmit, selectField } from '../form.ts';
import { downloadExport } from '../download.ts';
import type { Ctx, Section } from '../section.ts';
import { drawChart } from './stats-charts.ts';
import '../stats.css';

/**
 * Statistics: a period and filters, charts with the same numbers in tables beside them, the
 * definitions, and the exports (CSV and XLSX of what is shown, the per-ticket CSV). Supervisors
 * and admins see every clerk; a clerk sees their own calls (the host enforces it).
 */

const GROUPS = ['day', 'week', 'month', 'service', 'counter', 'clerk', 'hour', 'channel'] as const;
/** Walk-in, booked, reception: the ones the host filters by. */
const CHANNELS = StatsQuery.shape.channel.unwrap().options;
type Figures = StatsReportResponseT['totals'];

const dayIn = (timeZone: string, at: number): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);

function create(ctx: Ctx) {
  const q = { from: '', to: '', groupBy: 'day' as (typeof GROUPS)[number], service: '', counter: '', clerk: '', channel: '' };
  let report: StatsReportResponseT | null = null;
  const errors = new FormErrors('stats-from');
  const isClerk = ctx.me.role === 'clerk';

  /** The form's period and filters; the per-ticket export takes the same without a grouping. */
  const query = (grouped = true): string => {
    const p = new URLSearchParams({ from: q.from, to: q.to, ...(grouped ? { groupBy: q.groupBy } : {}) });
    if (q.service !== '') p.set('service', q.service);
    if (q.counter !== '') p.set('counter', q.counter);
    if (q.clerk !== '' && !isClerk) p.set('clerk', q.clerk);
    if (q.channel !== '') p.set('channel', q.channel);
    return p.toString();
  };

  const show = (): void => {
    ctx.actions.run(
      'stats:show',
      async () => {
        report = await api('GET', `/offices/${ctx.officeId()}/stats?${query()}`, StatsReportResponse);
        errors.clear();
        ctx.update();
        setTimeout(charts, 0);
      },
      (e) => {
        errors.fromFailure(e, { from: 'stats-from', to: 'stats-to' });
        ctx.update();
      },
    );
  };

  /** Downloads an export in the page's language (its separator and decimal mark follow it). */
  const download = (name: string, path: string): void => {
    ctx.actions.run(name, () => downloadExport(path), (e) => ctx.notice(e instanceof Error ? e.message : String(e)));
  };

  const num = (v: number | null): string => (v === null ? '–' : new Intl.NumberFormat(currentLang(), { maximumFractionDigits: 1 }).format(v));

  const charts = (): void => {
    if (report === null) return;
    const labels = report.groups.map((g) => g.label);
    drawChart('stats-chart-tickets', labels, [
      { label: t('stats.col.issued'), values: report.groups.map((g) => g.figures.issued), color: '#457b9d', kind: 'bars' },
      { label: t('stats.col.served'), values: report.groups.map((g) => g.figures.served), color: '#e76f51', kind: 'line' },
    ]);
    drawChart('stats-chart-wait', labels, [
      { label: t('stats.col.waitMean'), values: report.groups.map((g) => g.figures.wait.mean), color: '#2a9d8f', kind: 'line' },
      { label: t('stats.col.waitP90'), values: report.groups.map((g) => g.figures.wait.p90), color: '#9b2226', kind: 'line' },
    ]);
    const hours = report.waitingByHour.filter((h) => h.max > 0);
    drawChart('stats-chart-hours', hours.map((h) => `${String(h.hour).padStart(2, '0')}:00`), [
      { label: t('stats.hour.mean'), values: hours.map((h) => h.mean), color: '#457b9d', kind: 'bars' },
    ]);
  };

  // The columns of the CSV and XLSX, in their order; counts and minutes in the page language's digits.
  const figureCells = (f: Figures): TemplateResult[] =>
    [f.issued, f.served, f.noShow, f.voided, f.transferred, f.open, f.wait.mean, f.wait.median, f.wait.p90, f.wait.max, f.service.mean, f.service.median, f.service.p90, f.service.max].map(
      (v) => html`<td class="num">${num(v)}</td>`,
    );

  const COLS = ['issued', 'served', 'noShow', 'voided', 'transferred', 'open', 'waitMean', 'waitMedian', 'waitP90', 'waitMax', 'serviceMean', 'serviceMedian', 'serviceP90', 'serviceMax'];

  /** A table of plain rows with a caption; numbers right-aligned. */
  const table = (id: string, caption: string, head: readonly string[], rows: readonly (readonly (string | number | null)[])[]): TemplateResult =>
    html`<div class="table-wrap" role="region" aria-labelledby=${`${id}-caption`} tabindex="0"><table class="grid" id=${id}>
      <caption id=${`${id}-caption`}>${caption}</caption>
      <thead><tr>${head.map((h, i) => html`<th scope="col" class=${i === 0 ? '' : 'num'}>${h}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td class="num">${typeof c === 'number' || c === null ? num(c) : c}</td>`))}</tr>`)}</tbody>
    </table></div>`;

  const chart = (id: string, title: string): TemplateResult =>
    html`<figure class="chart"><figcaption>${title}</figcaption><div id=${id} class="chart-canvas" aria-hidden="true"></div></figure>`;

  const results = (r: StatsReportResponseT): TemplateResult => {
    const name = (m: Record<string, string>, id: string): string => m[id] ?? id;
    return html`
      ${r.ownOnly ? html`<p class="hint">${t('stats.yourOwn')}</p>` : nothing}
      <section class="card" aria-labelledby="stats-summary-title">
        <h2 id="stats-summary-title">${t('stats.section.summary')}</h2>
        ${r.totals.issued + r.totals.voided === 0 ? html`<p>${t('stats.empty')}</p>` : nothing}
        <div class="charts">${chart('stats-chart-tickets', t('stats.chart.tickets'))}${chart('stats-chart-wait', t('stats.chart.wait'))}</div>
        <div class="table-wrap" role="region" aria-labelledby="stats-groups-caption" tabindex="0"><table class="grid" id="stats-groups">
          <caption id="stats-groups-caption">${t('stats.section.summary')} — ${t(`stats.group.${r.groupBy}`)}</caption>
          <thead><tr><th scope="col">${t(`stats.group.${r.groupBy}`)}</th>${COLS.map((c) => html`<th scope="col" class="num">${t(`stats.col.${c}`)}</th>`)}</tr></thead>
          <tbody>${r.groups.map((g) => html`<tr><th scope="row">${g.label}</th>${figureCells(g.figures)}</tr>`)}</tbody>
          <tfoot><tr><th scope="row">${t('stats.total')}</th>${figureCells(r.totals)}</tr></tfoot>
        </table></div>
      </section>
      <section class="card" aria-labelledby="stats-hours-title">
        <h2 id="stats-hours-title">${t('stats.section.waitingByHour')}</h2>
        <div class="charts">${chart('stats-chart-hours', t('stats.chart.hours'))}
        ${table('stats-hours', t('stats.section.waitingByHour'), [t('stats.hour.hour'), t('stats.hour.mean'), t('stats.hour.max')],
          r.waitingByHour.filter((h) => h.max > 0).map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.mean, h.max]))}</div>
      </section>
      ${r.ownOnly
        ? nothing
        : html`<section class="card" aria-labelledby="stats-office-title">
            <h2 id="stats-office-title">${t('stats.section.bookings')}</h2>
            ${table('stats-bookings', t('stats.section.bookings'), ['service', 'offered', 'booked', 'checkedIn', 'lapsed', 'cancelled', 'noShow', 'drawAllocated', 'drawNotAllocated'].map((k) => t(`stats.bookings.${k}`)),
              r.bookings.map((b) => [name(r.labels.services, b.serviceId), b.offered, b.booked, b.checkedIn, b.lapsed, b.cancelled, b.noShow, b.drawAllocated, b.drawNotAllocated]))}
            ${table('stats-punctuality', t('stats.section.punctuality'), ['', ...['early', 'onTime', 'late', 'meanMin'].map((k) => t(`stats.punctuality.${k}`))],
              [[t('stats.channel.booked'), r.punctuality.early, r.punctuality.onTime, r.punctuality.late, r.punctuality.meanMin]])}
            ${table('stats-messages', t('stats.section.messages'), ['channel', 'sent', 'failed', 'retried'].map((k) => t(`stats.messages.${k}`)),
              r.messages.map((m) => [m.channel, m.sent, m.failed, m.retried]))}
            ${table('stats-kiosks', t('stats.section.kiosks'), ['kiosk', 'printFailures', 'voided'].map((k) => t(`stats.kiosks.${k}`)),
              r.kiosks.map((k) => [name(r.labels.kiosks, k.kioskId), k.printFailures, k.voided]))}
            ${table('stats-counters', t('stats.section.counters'), ['counter', 'openMin', 'pausedMin', 'servingMin', 'utilisation'].map((k) => t(`stats.counters.${k}`)),
              r.counters.map((c) => [name(r.labels.counters, c.counterId), c.openMin, c.pausedMin, c.servingMin, c.utilisationPct]))}
            ${r.ratings === null
              ? nothing
              : table('stats-ratings', t('stats.section.ratings'), [t('stats.ratings.of'), t('stats.ratings.count'), t('stats.ratings.mean'), '1', '2', '3', '4', '5'], [
                  ...r.ratings.services.map((s) => [name(r.labels.services, s.serviceId), s.count, s.mean, ...s.distribution]),
                  ...r.ratings.counters.map((c) => [`${t('stats.counters.counter')} ${name(r.labels.counters, c.counterId)}`, c.count, c.mean, ...c.distribution]),
                  [t('stats.total'), r.ratings.total.count, r.ratings.total.mean, ...r.ratings.total.distribution],
                ])}
          </section>`}
    `;
  };

  const options = (m: Record<string, string>): { value: string; label: string }[] => [
    { value: '', label: t('stats.all') },
    ...Object.entries(m).map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label)),
  ];

  return {
    async load() {
      if (q.from === '') {
        const today = dayIn(ctx.timeZone(), Date.now());
        q.to = today;
        q.from = dayIn(ctx.timeZone(), Date.parse(`${today}T12:00:00Z`) - 6 * 86_400_000);
      }
      report = await api('GET', `/offices/${ctx.officeId()}/stats?${query()}`, StatsReportResponse);
      ctx.update();
      setTimeout(charts, 0);
    },
    view: () => html`<form class="card stats-form" @submit=${onSubmit(show)} novalidate>
        <h2>${t('stats.period')}</h2>
        ${errors.summary()}
        <div class="cols">
          ${field({ id: 'stats-from', label: t('stats.from'), type: 'date', value: q.from, error: errors.of('stats-from'), onInput: (v) => (q.from = v) })}
          ${field({ id: 'stats-to', label: t('stats.to'), type: 'date', value: q.to, error: errors.of('stats-to'), onInput: (v) => (q.to = v) })}
          ${selectField({ id: 'stats-group', label: t('stats.groupBy'), value: q.groupBy, options: GROUPS.map((g) => ({ value: g, label: t(`stats.group.${g}`) })), onChange: (v) => (q.groupBy = v as typeof q.groupBy) })}
          ${selectField({ id: 'stats-service', label: t('stats.group.service'), value: q.service, options: options(report?.labels.services ?? {}), onChange: (v) => (q.service = v) })}
          ${selectField({ id: 'stats-counter', label: t('stats.group.counter'), value: q.counter, options: options(report?.labels.counters ?? {}), onChange: (v) => (q.counter = v) })}
          ${selectField({ id: 'stats-channel', label: t('stats.group.channel'), value: q.channel, options: [{ value: '', label: t('stats.all') }, ...CHANNELS.map((c) => ({ value: c, label: t(`stats.channel.${c}`) }))], onChange: (v) => (q.channel = v) })}
          ${isClerk ? nothing : selectField({ id: 'stats-clerk', label: t('stats.group.clerk'), value: q.clerk, options: options(report?.labels.clerks ?? {}), onChange: (v) => (q.clerk = v) })}
        </div>
        <div class="actions">
          ${button({ label: t('stats.show'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('stats:show'), onClick: () => undefined })}
          ${button({ label: t('stats.export.csv'), isBusy: ctx.actions.isBusy('stats:csv'), onClick: () => download('stats:csv', `/offices/${ctx.officeId()}/stats.csv?${query()}`) })}
          ${button({ label: t('stats.export.xlsx'), isBusy: ctx.actions.isBusy('stats:xlsx'), onClick: () => download('stats:xlsx', `/offices/${ctx.officeId()}/stats.xlsx?${query()}`) })}
          ${isClerk ? nothing : button({ label: t('stats.export.tickets'), isBusy: ctx.actions.isBusy('stats:tickets'), onClick: () => download('stats:tickets', `/offices/${ctx.officeId()}/stats/tickets.csv?${query(false)}`) })}
        </div>
      </form>
      ${report === null ? html`<p>${t('stats.loading')}</p>` : results(report)}
      <section class="card" aria-labelledby="stats-def-title">
        <h2 id="stats-def-title">${t('stats.section.definitions')}</h2>
        <ul class="definitions">${['wait', 'service', 'counts', 'stats', 'utilisation', 'ratings', 'today'].map((k) => html`<li>${t(`stats.def.${k}`)}</li>`)}</ul>
      </section>`,
  };
}

export const statsSection: Section = { id: 'stats', titleKey: 'stats.title', role: 'staff', create };
