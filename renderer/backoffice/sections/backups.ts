import { html, type TemplateResult } from 'lit-html';
import { BackupsResponse, type BackupsResponseT } from '../../../contracts/backups.ts';
import { api, ApiFailure } from '../../shared/api.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field, type FieldError } from '../../shared/ui.ts';
import { FormErrors, onSubmit, wholeNumber } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The nightly backup (admin): the hour it runs on the host's clock and how many days of backups
 * are kept, and the backups there are. A host on PostgreSQL, or with backups off, has none: the
 * database server's own tools back it up.
 */

function create(ctx: Ctx) {
  let state: BackupsResponseT | null = null;
  let isAvailable = true;
  const form = { keepDays: '', at: '' };
  const errors = new FormErrors('backup-at');
  const path = (): string => `/offices/${ctx.officeId()}/backups`;

  const shown = (r: BackupsResponseT): void => {
    state = r;
    form.keepDays = String(r.keepDays);
    form.at = r.at;
    ctx.update();
  };

  const save = (): void => {
    const keepDays = wholeNumber(form.keepDays);
    const checks: (FieldError | null)[] = [
      /^([01]\d|2[0-3]):[0-5]\d$/.test(form.at) ? null : { fieldId: 'backup-at', message: t('backoffice.backups.atInvalid') },
      keepDays === null || keepDays < 1 || keepDays > 3650 ? { fieldId: 'backup-keep', message: t('backoffice.backups.keepInvalid') } : null,
    ];
    if (!errors.check(checks)) return ctx.update();
    ctx.actions.run(
      'backups:save',
      async () => {
        shown(await api('PUT', path(), BackupsResponse, { keepDays, at: form.at }));
        errors.clear();
        ctx.notice(t('backoffice.backups.saved'));
      },
      (e) => {
        errors.fromFailure(e, { at: 'backup-at', keepDays: 'backup-keep' });
        ctx.update();
      },
    );
  };

  const size = (bytes: number): string => new Intl.NumberFormat(currentLang(), { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(bytes / 1_000_000);
  const when = (at: number): string => new Intl.DateTimeFormat(currentLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));

  const list = (r: BackupsResponseT): TemplateResult => html`<section class="card" aria-labelledby="backups-list-title">
    <h2 id="backups-list-title">${t('backoffice.backups.list')}</h2>
    <p>${t('backoffice.backups.folder')} <code>${r.dir}</code></p>
    ${r.backups.length === 0
      ? html`<p>${t('backoffice.backups.none')}</p>`
      : html`<table class="grid" data-testid="backups">
          <thead>
            <tr>
              <th scope="col">${t('backoffice.backups.file')}</th>
              <th scope="col">${t('backoffice.backups.when')}</th>
              <th scope="col">${t('backoffice.backups.size')}</th>
            </tr>
          </thead>
          <tbody>
            ${r.backups.map((b) => html`<tr><td><code>${b.name}</code></td><td>${when(b.at)}</td><td>${size(b.bytes)}</td></tr>`)}
          </tbody>
        </table>`}
  </section>`;

  return {
    async load() {
      try {
        shown(await api('GET', path(), BackupsResponse));
      } catch (e) {
        if (!(e instanceof ApiFailure) || e.status !== 404) throw e;
        isAvailable = false;
        ctx.update();
      }
    },
    view: () =>
      !isAvailable
        ? html`<p class="card">${t('backoffice.backups.unavailable')}</p>`
        : html`<form class="card narrow" @submit=${onSubmit(save)} novalidate aria-labelledby="backups-title">
              <h2 id="backups-title">${t('backoffice.backups.plan')}</h2>
              <p class="hint">${t('backoffice.backups.planHint')}</p>
              ${errors.summary()}
              ${field({ id: 'backup-at', type: 'time', label: t('backoffice.backups.at'), hint: t('backoffice.backups.atHint'), value: form.at, error: errors.of('backup-at'), onInput: (v) => (form.at = v) })}
              ${field({ id: 'backup-keep', label: t('backoffice.backups.keepDays'), hint: t('backoffice.backups.keepHint'), inputmode: 'numeric', value: form.keepDays, error: errors.of('backup-keep'), onInput: (v) => (form.keepDays = v) })}
              ${button({ label: t('backoffice.backups.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('backups:save'), onClick: () => undefined })}
            </form>
            ${state === null ? '' : list(state)}`,
  };
}

export const backupsSection: Section = { id: 'backups', titleKey: 'backoffice.backups.title', role: 'admin', create };
