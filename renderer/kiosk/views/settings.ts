import { html, type TemplateResult } from 'lit-html';
import { KioskUnlockResponse } from '../../../contracts/people.ts';
import { api, ApiFailure } from '../../shared/api.ts';
import { t } from '../../shared/i18n.ts';
import { field } from '../../shared/ui.ts';
import { go } from '../actions.ts';
import { printer, type Kiosk, type SettingsScreen } from '../state.ts';

/**
 * The kiosk's own settings (which device it is, its printer, unpairing, reloading), for staff
 * only: a passer-by who finds the way in (a long press on the office name, or Ctrl+Alt+S) meets a
 * sign-in the host checks against the staff of this kiosk's office. Nothing is kept: the idle
 * reset (30 s) locks it again, and the password leaves the state with the screen.
 */

/** Hold the office name this long to open the settings. */
export const HOLD_TO_OPEN_MS = 2500;

export function openSettings(k: Kiosk): void {
  go(k, { kind: 'settings', username: '', password: '', error: '', unlockedBy: null });
}

function unlock(k: Kiosk, s: SettingsScreen): void {
  k.actions.run(
    'unlock',
    async () => {
      const r = await api('POST', '/kiosk/unlock', KioskUnlockResponse, { username: s.username.trim(), password: s.password });
      go(k, { ...s, password: '', error: '', unlockedBy: r.user.displayName });
    },
    (err) => go(k, { ...s, password: '', error: err instanceof ApiFailure ? err.message : String(err) }),
  );
}

function unpair(k: Kiosk): void {
  k.actions.run(
    'unpair',
    async () => {
      await fetch('/api/v1/devices/unpair', { method: 'POST', credentials: 'same-origin' });
      // Started again without its cookie, the kiosk shows the pairing form.
      window.location.reload();
    },
    (err) => go(k, { kind: 'settings', username: '', password: '', unlockedBy: null, error: err instanceof Error ? err.message : String(err) }),
  );
}

export function settingsScreen(k: Kiosk, s: SettingsScreen): TemplateResult {
  const close = html`<button type="button" class="secondary" @click=${() => go(k, { kind: 'home' })}>${t('ui.close')}</button>`;
  if (s.unlockedBy === null) {
    const submit = (e: Event): void => {
      e.preventDefault();
      unlock(k, s);
    };
    return html`<form class="login card pairing kiosk-settings" @submit=${submit}>
      <h2>${t('kiosk.settingsTitle')}</h2>
      <p>${t('kiosk.settingsLocked')}</p>
      ${field({ id: 'settings-username', label: t('ui.username'), value: s.username, autocomplete: 'off', isRequired: true, onInput: (v) => (s.username = v) })}
      ${field({ id: 'settings-password', type: 'password', label: t('ui.password'), value: s.password, autocomplete: 'off', isRequired: true, error: s.error, onInput: (v) => (s.password = v) })}
      <button type="submit" class="primary">${t('kiosk.settingsUnlock')}</button>
      ${close}
    </form>`;
  }
  const p = printer(k.state);
  const device = k.state.info?.device;
  return html`<section class="card pairing kiosk-settings" aria-labelledby="settings-title">
    <h2 id="settings-title">${t('kiosk.settingsTitle')}</h2>
    <p>${t('kiosk.settingsUnlockedBy', { name: s.unlockedBy })}</p>
    <dl>
      <dt>${t('kiosk.settingsDevice')}</dt>
      <dd>${device?.name ?? ''}</dd>
      <dt>${t('kiosk.settingsPrinter')}</dt>
      <dd>${p === null ? t('kiosk.settingsNoPrinter') : t(`printerState.${p.state}`)}</dd>
    </dl>
    <button type="button" class="secondary" @click=${() => window.location.reload()}>${t('kiosk.settingsReload')}</button>
    <button type="button" class="secondary" @click=${() => unpair(k)}>${t('kiosk.settingsUnpair')}</button>
    ${close}
  </section>`;
}
