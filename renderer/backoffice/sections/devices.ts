import { html, nothing, type TemplateResult } from 'lit-html';
import { CreatedDeviceResponse, DeviceResponse, DevicesResponse, type DeviceViewT } from '../../../contracts/people.ts';
import { api } from '../../shared/api.ts';
import { formatDateTime, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { FormErrors, onSubmit, required, selectField } from '../form.ts';
import { secretBox, type Secret } from '../secret.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office's devices (admins): kiosks and hall displays with when each was last seen and its
 * printer's state; a new one (its pairing token shown once), renaming, revoking (its connections
 * dropped at once, after a confirm).
 */

type Kind = 'kiosk-agent' | 'kiosk' | 'display';
const KINDS: readonly Kind[] = ['kiosk-agent', 'kiosk', 'display'];

function create(ctx: Ctx) {
  let devices: DeviceViewT[] = [];
  let secret: Secret | null = null;
  const draft = { name: '', kind: 'kiosk-agent' as Kind };
  const createErrors = new FormErrors('device-name');
  let renaming: { device: DeviceViewT; name: string; errors: FormErrors } | null = null;
  const path = (): string => `/offices/${ctx.officeId()}/devices`;
  const when = (at: number | null): string => (at === null ? t('backoffice.devices.never') : formatDateTime(at, ctx.timeZone()));

  const reload = async (): Promise<void> => {
    devices = (await api('GET', path(), DevicesResponse)).devices;
    ctx.update();
  };

  const add = (): void => {
    if (!createErrors.check([required('device-name', draft.name, t('backoffice.devices.name'))])) return ctx.update();
    const body = draft.kind === 'display' ? { kind: 'display', name: draft.name.trim() } : { kind: 'kiosk', name: draft.name.trim(), printer: draft.kind === 'kiosk-agent' ? 'agent' : 'none' };
    ctx.actions.run(
      'device:add',
      async () => {
        const r = await api('POST', path(), CreatedDeviceResponse, body);
        draft.name = '';
        createErrors.clear();
        secret = { title: t('backoffice.devices.tokenFor', { device: r.device.name }), value: r.token };
        await reload();
      },
      (e) => {
        createErrors.fromFailure(e, { name: 'device-name', kind: 'device-kind', printer: 'device-kind' });
        ctx.update();
      },
    );
  };

  const rename = (): void => {
    const r = renaming;
    if (r === null) return;
    if (!r.errors.check([required('rename-name', r.name, t('backoffice.devices.name'))])) return ctx.update();
    ctx.actions.run(
      'device:rename',
      async () => {
        await api('PATCH', `${path()}/${r.device.id}`, DeviceResponse, { name: r.name.trim() });
        renaming = null;
        ctx.notice(t('backoffice.saved'));
        await reload();
      },
      (e) => {
        r.errors.fromFailure(e, { name: 'rename-name' });
        ctx.update();
      },
    );
  };

  const revoke = (d: DeviceViewT): void =>
    ctx.confirm({
      title: t('backoffice.devices.revokeTitle', { device: d.name }),
      body: t('backoffice.devices.revokeBody'),
      confirmLabel: t('backoffice.devices.revoke'),
      onConfirm: () =>
        ctx.actions.run(
          `device:revoke:${d.id}`,
          async () => {
            await api('DELETE', `${path()}/${d.id}`, DeviceResponse);
            ctx.notice(t('backoffice.devices.revoked', { device: d.name }));
            await reload();
          },
          (e) => ctx.problem(e),
        ),
    });

  const kindOf = (d: DeviceViewT): string => (d.kind === 'display' ? t('backoffice.devices.kinds.display') : d.printer === 'agent' ? t('backoffice.devices.kinds.kiosk-agent') : t('backoffice.devices.kinds.kiosk'));
  const printerOf = (d: DeviceViewT): string => (d.printerState === null ? t('ui.none') : t(`printerState.${d.printerState.state}`));

  const renameForm = (): TemplateResult | typeof nothing => {
    const r = renaming;
    if (r === null) return nothing;
    return html`<form class="card" @submit=${onSubmit(rename)} novalidate aria-labelledby="rename-title">
      <h2 id="rename-title">${t('backoffice.devices.renameTitle', { device: r.device.name })}</h2>
      ${r.errors.summary()}
      ${field({ id: 'rename-name', label: t('backoffice.devices.name'), value: r.name, maxlength: 80, error: r.errors.of('rename-name'), onInput: (v) => (r.name = v) })}
      <div class="actions">
        ${button({ label: t('ui.cancel'), onClick: () => ((renaming = null), ctx.update()) })}
        ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('device:rename'), onClick: () => undefined })}
      </div>
    </form>`;
  };

  const row = (d: DeviceViewT): TemplateResult => html`<tr data-device=${d.name} class=${d.revokedAt === null ? '' : 'disabled'}>
    <th scope="row">${d.name}</th>
    <td>${kindOf(d)}</td>
    <td>${when(d.lastSeenAt)}</td>
    <td>${printerOf(d)}</td>
    <td data-testid="device-state">${d.revokedAt === null ? t('backoffice.devices.active') : t('backoffice.devices.revokedAt', { at: when(d.revokedAt) })}</td>
    <td class="act">
      ${d.revokedAt !== null
        ? nothing
        : html`${button({
            label: t('backoffice.devices.rename'),
            ariaLabel: t('backoffice.devices.renameTitle', { device: d.name }),
            onClick: () => {
              renaming = { device: d, name: d.name, errors: new FormErrors('rename-name') };
              ctx.update();
              queueMicrotask(() => document.getElementById('rename-name')?.focus());
            },
          })}
          ${button({ label: t('backoffice.devices.revoke'), ariaLabel: t('backoffice.devices.revokeTitle', { device: d.name }), isBusy: ctx.actions.isBusy(`device:revoke:${d.id}`), onClick: () => revoke(d) })}`}
    </td>
  </tr>`;

  return {
    load: reload,
    view: () => html`${secretBox(secret, () => ((secret = null), ctx.update()))}
      <section class="card" aria-labelledby="devices-title">
        <h2 id="devices-title">${t('backoffice.devices.list')}</h2>
        ${devices.length === 0
          ? html`<p>${t('backoffice.devices.none')}</p>`
          : html`<table class="grid" data-testid="devices">
              <thead>
                <tr>
                  <th scope="col">${t('backoffice.devices.name')}</th>
                  <th scope="col">${t('backoffice.devices.kind')}</th>
                  <th scope="col">${t('backoffice.devices.lastSeen')}</th>
                  <th scope="col">${t('backoffice.devices.printer')}</th>
                  <th scope="col">${t('backoffice.devices.state')}</th>
                  <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                ${devices.map(row)}
              </tbody>
            </table>`}
      </section>
      ${renameForm()}
      <form class="card" @submit=${onSubmit(add)} novalidate aria-labelledby="device-add-title">
        <h2 id="device-add-title">${t('backoffice.devices.add')}</h2>
        ${createErrors.summary()}
        <div class="cols">
          ${selectField({
            id: 'device-kind',
            label: t('backoffice.devices.kind'),
            value: draft.kind,
            options: KINDS.map((k) => ({ value: k, label: t(`backoffice.devices.kinds.${k}`) })),
            error: createErrors.of('device-kind'),
            onChange: (v) => (draft.kind = KINDS.find((k) => k === v) ?? 'kiosk-agent'),
          })}
          ${field({ id: 'device-name', label: t('backoffice.devices.name'), value: draft.name, maxlength: 80, error: createErrors.of('device-name'), onInput: (v) => (draft.name = v) })}
        </div>
        ${button({ label: t('backoffice.devices.create'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('device:add'), onClick: () => undefined })}
      </form>`,
  };
}

export const devicesSection: Section = { id: 'devices', titleKey: 'backoffice.devices.title', role: 'admin', create };
