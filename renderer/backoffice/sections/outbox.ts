import { html, nothing } from 'lit-html';
import type { z } from 'zod';
import { OutboxResponse } from '../../../contracts/booking.ts';
import { OutboxResendResponse } from '../../../contracts/outbox.ts';
import { api } from '../../shared/api.ts';
import { formatDateTime, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The outbox (supervisors): the office's latest messages with their state — waiting, being sent,
 * sent, failed — attempts and last error, never their content; a waiting one is sent at once on
 * request (the host records who did it).
 */

type Message = z.infer<typeof OutboxResponse>['messages'][number];

function create(ctx: Ctx) {
  let messages: Message[] = [];
  const path = (): string => `/booking/offices/${ctx.officeId()}/outbox`;
  const when = (at: number | null): string => (at === null ? t('ui.none') : formatDateTime(at, ctx.timeZone()));

  const reload = async (): Promise<void> => {
    messages = (await api('GET', path(), OutboxResponse)).messages;
    ctx.update();
  };

  const resend = (m: Message): void =>
    ctx.actions.run(
      `resend:${m.id}`,
      async () => {
        await api('POST', `${path()}/${m.id}/resend`, OutboxResendResponse);
        ctx.notice(t('backoffice.outbox.resent'));
        await reload();
      },
      (e) => ctx.problem(e),
    );

  return {
    load: reload,
    view: () => html`<section class="card" aria-labelledby="outbox-title">
      <h2 id="outbox-title">${t('backoffice.outbox.latest')}</h2>
      <p class="hint">${t('backoffice.outbox.intro')}</p>
      <div class="actions">${button({ label: t('backoffice.refresh'), isBusy: ctx.actions.isBusy('outbox:reload'), onClick: () => ctx.actions.run('outbox:reload', reload, (e) => ctx.problem(e)) })}</div>
      ${messages.length === 0
        ? html`<p>${t('backoffice.outbox.none')}</p>`
        : html`<table class="grid" data-testid="outbox">
            <thead>
              <tr>
                <th scope="col">${t('backoffice.outbox.created')}</th>
                <th scope="col">${t('backoffice.outbox.kind')}</th>
                <th scope="col">${t('backoffice.outbox.channel')}</th>
                <th scope="col">${t('backoffice.outbox.state')}</th>
                <th scope="col" class="num">${t('backoffice.outbox.attempts')}</th>
                <th scope="col">${t('backoffice.outbox.next')}</th>
                <th scope="col">${t('backoffice.outbox.lastError')}</th>
                <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${messages.map(
                (m) => html`<tr data-message=${m.id}>
                  <td>${when(m.createdAt)}</td>
                  <td>${t(`backoffice.outbox.kinds.${m.kind}`, { defaultValue: m.kind })}</td>
                  <td>${t(`backoffice.outbox.channels.${m.channel}`)}</td>
                  <td class=${`state-${m.state}`} data-testid="state">${t(`backoffice.outbox.states.${m.state}`)}</td>
                  <td class="num">${m.attempts}</td>
                  <td>${m.state === 'sent' ? when(m.sentAt) : m.state === 'pending' ? when(m.nextAttemptAt) : t('ui.none')}</td>
                  <td>${m.lastError ?? t('ui.none')}</td>
                  <td class="act">
                    ${m.state === 'pending'
                      ? button({ label: t('backoffice.outbox.resend'), ariaLabel: t('backoffice.outbox.resendOf', { created: when(m.createdAt) }), isBusy: ctx.actions.isBusy(`resend:${m.id}`), onClick: () => resend(m) })
                      : nothing}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`,
  };
}

export const outboxSection: Section = { id: 'outbox', titleKey: 'backoffice.outbox.title', role: 'supervisor', create };
