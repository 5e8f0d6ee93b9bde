import { html } from 'lit-html';
import { ConfigChangeResponse, OfficeConfig, type AffectedBookingT, type ConfigChangeResponseT, type OfficeConfigT } from '../../contracts/office-config.ts';
import { api } from '../shared/api.ts';
import { isLang, LANG_NAMES, t } from '../shared/i18n.ts';
import type { FormErrors } from './form.ts';
import type { Ctx } from './section.ts';

/**
 * Writes of the office configuration, shared by its sections: the whole configuration read, and a
 * write sent first with `?preview=1` — when it would leave bookings outside the hours (or without
 * their service), the admin sees them in the confirm dialog before anything changes, and once it
 * is saved the office-change step opens with them (to move or cancel each).
 */

export const configPath = (ctx: Ctx): string => `/offices/${ctx.officeId()}`;

export const loadConfig = async (ctx: Ctx): Promise<OfficeConfigT> => api('GET', `${configPath(ctx)}/config`, OfficeConfig);

const affectedList = (n: number, list: readonly AffectedBookingT[]) => html`<p>${t('backoffice.config.affected', { n })}</p>
  <ul class="affected">
    ${list.slice(0, 20).map((b) => html`<li>${b.number} · ${b.day} ${b.time} · ${t(`backoffice.config.reasons.${b.reason}`)}</li>`)}
  </ul>
  <p>${t('backoffice.config.affectedNext')}</p>`;

export interface WriteOptions {
  /** The action's name (the button shows it is busy). */
  name: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below the office: `/hours`, `/services/passports`. */
  path: string;
  body?: unknown;
  onDone: (r: ConfigChangeResponseT) => void | Promise<void>;
  onError: (e: unknown) => void;
  /** Ask even when no booking is affected (an undo): the dialog's title, text and yes. */
  ask?: { title: string; body: string; confirmLabel: string };
}

/** Previews the write; asks first when bookings are affected; then writes. */
export function previewThenWrite(ctx: Ctx, o: WriteOptions): void {
  const url = `${configPath(ctx)}${o.path}`;
  const write = (): void =>
    ctx.actions.run(
      o.name,
      async () => {
        const r = await api(o.method, url, ConfigChangeResponse, o.body);
        await o.onDone(r);
        if (r.applied && r.affectedBookings.length > 0) ctx.strand(r.affectedBookings);
      },
      o.onError,
    );
  ctx.actions.run(
    o.name,
    async () => {
      const sep = url.includes('?') ? '&' : '?';
      const p = await api(o.method, `${url}${sep}preview=1`, ConfigChangeResponse, o.body);
      const n = p.affectedBookings.length;
      if (n === 0 && o.ask === undefined) return void setTimeout(write, 0);
      ctx.confirm({
        title: o.ask?.title ?? t('backoffice.config.affectedTitle'),
        body: html`${o.ask === undefined ? '' : html`<p>${o.ask.body}</p>`}${n === 0 ? '' : affectedList(n, p.affectedBookings)}`,
        confirmLabel: o.ask?.confirmLabel ?? t('backoffice.config.saveAnyway'),
        onConfirm: write,
      });
    },
    o.onError,
  );
}

/**
 * A form's whole section saved (previewed first): "Saved." and the section read again, or the
 * host's refusal beside the field it names (`fields`: the API's field path → the input's id).
 */
export function saveForm(ctx: Ctx, o: Omit<WriteOptions, 'onDone' | 'onError'> & { errors: FormErrors; fields: Record<string, string>; reload: () => Promise<void> }): void {
  previewThenWrite(ctx, {
    name: o.name,
    method: o.method,
    path: o.path,
    body: o.body,
    onDone: async () => {
      o.errors.clear();
      ctx.notice(t('backoffice.saved'));
      await o.reload();
    },
    onError: (e) => {
      o.errors.fromFailure(e, o.fields);
      ctx.update();
    },
  });
}

/** A name per language, as the forms edit it: every office language, empty where none. */
export const namesDraft = (ctx: Ctx, names: Partial<Record<string, string>> | null): Record<string, string> =>
  Object.fromEntries(ctx.languages().map((l) => [l, names?.[l] ?? '']));

/** The filled-in names of a draft (the API wants at least one). */
export const namesBody = (d: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(d).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));

/** An item's name in the page's language, or the first it has. */
export const nameOf = (names: Partial<Record<string, string>> | null, lang: string): string =>
  names === null ? '' : (names[lang] ?? Object.values(names).find((v) => v !== undefined) ?? '');

/** A language's own name for labels ("Name (Čeština)"). */
export const langName = (l: string): string => (isLang(l) ? LANG_NAMES[l] : l);
