import { html, nothing, type TemplateResult } from 'lit-html';
import { SCREEN_LOGO_MAX_BYTES, type LogosT } from '../../../contracts/office-config.ts';
import { formatNumber, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { loadConfig, saveForm } from '../config-write.ts';
import { FormErrors, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';
import { toBase64 } from '../ticket-raster.ts';
import { fileField, readImage, redraw, ticketBody, ticketDraft, ticketErrors, ticketFields, type TicketDraft } from './ticket-logo.ts';

/**
 * The office's logos (admins): the one kiosk, display and portal show (PNG, JPEG or WebP within
 * the size limit, previewed as it is), and the one printed on each ticket (ticket-logo.ts). Both
 * saved together: PUT /offices/:id/logos replaces the section.
 */

type ScreenT = NonNullable<LogosT['screen']>;
const SCREEN_TYPES: readonly ScreenT['mediaType'][] = ['image/png', 'image/jpeg', 'image/webp'];
const kib = (bytes: number): string => formatNumber(Math.ceil(bytes / 1024));

function create(ctx: Ctx) {
  let screen: ScreenT | null = null;
  let ticket: TicketDraft | null = null;
  const errors = new FormErrors('logo-screen-file');

  const reload = async (): Promise<void> => {
    const l = (await loadConfig(ctx)).logos;
    screen = l.screen;
    ticket = ticketDraft(l.ticket);
    ctx.update();
  };

  /** A screen logo picked: refused here when its type or size would be (the host checks again). */
  const pickScreen = async (f: File): Promise<void> => {
    const type = SCREEN_TYPES.find((x) => x === f.type);
    if (type === undefined) return void (errors.check([{ fieldId: 'logo-screen-file', message: t('backoffice.logos.screenType') }]), ctx.update());
    if (f.size > SCREEN_LOGO_MAX_BYTES) return void (errors.check([{ fieldId: 'logo-screen-file', message: t('backoffice.logos.screenTooBig', { size: kib(f.size), max: kib(SCREEN_LOGO_MAX_BYTES) }) }]), ctx.update());
    screen = { mediaType: type, data: toBase64(new Uint8Array(await f.arrayBuffer())) };
    errors.clear();
    ctx.update();
  };

  const pickTicket = async (d: TicketDraft, f: File): Promise<void> => {
    try {
      d.source = await readImage(f);
    } catch {
      d.source = null;
      d.raster = null;
      errors.check([{ fieldId: 'logo-ticket-file', message: t('backoffice.logos.notAnImage') }]);
      return ctx.update();
    }
    redraw(d);
    errors.check(d.raster === null ? [{ fieldId: 'logo-ticket-file', message: t('backoffice.logos.ticketNoFit') }] : []);
    ctx.update();
  };

  const save = (): void => {
    const d = ticket;
    if (d === null || !errors.check(ticketErrors(d))) return ctx.update();
    saveForm(ctx, {
      name: 'logos:save',
      method: 'PUT',
      path: '/logos',
      body: { screen, ticket: ticketBody(d) },
      errors,
      reload,
      fields: { screen: 'logo-screen-file', ticket: 'logo-ticket-kind', 'ticket.key': 'logo-ticket-key', 'ticket.heightDots': 'logo-ticket-file', 'ticket.widthDots': 'logo-ticket-width' },
    });
  };

  const screenFields = (): TemplateResult => html`<fieldset>
    <legend>${t('backoffice.logos.screen')}</legend>
    ${screen === null
      ? html`<p>${t('backoffice.logos.noScreen')}</p>`
      : html`<figure class="screen-logo">
          <img id="logo-screen-preview" src=${`data:${screen.mediaType};base64,${screen.data}`} alt=${t('backoffice.logos.screenPreview')} />
          <figcaption>${t('backoffice.logos.screenSize', { size: kib((screen.data.length * 3) / 4) })}</figcaption>
        </figure>`}
    ${fileField('logo-screen-file', t('backoffice.logos.screenFile'), t('backoffice.logos.screenFileHint', { max: kib(SCREEN_LOGO_MAX_BYTES) }), SCREEN_TYPES.join(','), errors, (f) => void pickScreen(f))}
    ${screen === null ? nothing : button({ id: 'logo-screen-remove', label: t('backoffice.logos.screenRemove'), onClick: () => ((screen = null), ctx.update()) })}
  </fieldset>`;

  const form = (d: TicketDraft): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="logos-title">
    <h2 id="logos-title">${t('backoffice.logos.heading')}</h2>
    ${errors.summary()} ${screenFields()} ${ticketFields(d, errors, () => ctx.update(), (f) => void pickTicket(d, f))}
    ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('logos:save'), onClick: () => undefined })}
  </form>`;

  return { load: reload, view: () => (ticket === null ? nothing : form(ticket)) };
}

export const logosSection: Section = { id: 'logos', titleKey: 'backoffice.logos.title', role: 'admin', create };
