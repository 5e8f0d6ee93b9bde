import { html, type TemplateResult } from 'lit-html';
import { PairResponse, type PairResponse as PairResponseSchema } from '../../contracts/screens.ts';
import type { z } from 'zod';
import { api } from './api.ts';
import { t } from './i18n.ts';
import { field } from './ui.ts';

export type PairedDevice = z.infer<typeof PairResponseSchema>['device'];
export type DeviceKind = PairedDevice['kind'];

/** What the pairing form holds between renders: the token typed so far, the last refusal. */
export interface PairingState {
  token: string;
  error: string;
  isBusy: boolean;
}

export const newPairing = (error = ''): PairingState => ({ token: '', error, isBusy: false });

/**
 * Pairs this browser as a device: the host checks the token once and keeps it in an HttpOnly
 * cookie. A token of another kind of device is unpaired again and refused.
 */
export async function pairDevice(token: string, kind: DeviceKind): Promise<PairedDevice> {
  const r = await api('POST', '/devices/pair', PairResponse, undefined, { authorization: `Bearer ${token}` });
  if (r.device.kind !== kind) {
    await fetch('/api/v1/devices/unpair', { method: 'POST' });
    throw new Error(t(kind === 'kiosk' ? 'kiosk.notKiosk' : 'display.notDisplay'));
  }
  return r.device;
}

/** The pairing form of a kiosk or a display (catalogue section `kiosk` or `display`). */
export function pairingForm(kind: DeviceKind, s: PairingState, update: () => void, onPaired: (device: PairedDevice) => void): TemplateResult {
  const submit = (e: Event): void => {
    e.preventDefault();
    if (s.isBusy) return;
    s.isBusy = true;
    s.error = '';
    update();
    pairDevice(s.token.trim(), kind).then(
      (device) => {
        s.isBusy = false;
        onPaired(device);
      },
      (err: unknown) => {
        s.isBusy = false;
        s.error = err instanceof Error ? err.message : String(err);
        update();
      },
    );
  };
  return html`<form class="login card pairing" @submit=${submit}>
    <h1>${t(`${kind}.pairTitle`)}</h1>
    <p>${t(`${kind}.pairIntro`)}</p>
    ${field({ id: 'token', label: t(`${kind}.token`), value: s.token, autocomplete: 'off', isRequired: true, error: s.error, onInput: (v) => (s.token = v) })}
    <button type="submit" class="primary" ?disabled=${s.isBusy} aria-busy=${s.isBusy ? 'true' : 'false'}>${t(`${kind}.pair`)}</button>
  </form>`;
}
