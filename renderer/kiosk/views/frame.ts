import { html, nothing, type TemplateResult } from 'lit-html';
import { currentLang, LANG_NAMES, t } from '../../shared/i18n.ts';
import { pairingForm } from '../../shared/pairing.ts';
import { chooseLang } from '../actions.ts';
import type { Speech } from '../speech.ts';
import { isOutOfOrder, officeLangs, type Kiosk } from '../state.ts';
import { keypadScreen } from './keypad.ts';
import { failedScreen, issuedScreen, outOfOrderScreen, printingScreen } from './outcome.ts';
import { homeScreen, priorityScreen, servicesScreen } from './services.ts';
import { HOLD_TO_OPEN_MS, openSettings, settingsScreen } from './settings.ts';

/** The whole kiosk: the pairing form until paired, then the header and the current screen. */

/** A long press on the office name opens the staff settings (a touch screen has no keyboard). */
function holdToOpen(k: Kiosk): { down: () => void; up: () => void } {
  return {
    down: () => {
      window.clearTimeout(k.timers.hold);
      k.timers.hold = window.setTimeout(() => openSettings(k), HOLD_TO_OPEN_MS);
    },
    up: () => window.clearTimeout(k.timers.hold),
  };
}

function header(k: Kiosk): TemplateResult {
  const hold = holdToOpen(k);
  return html`<header class="kiosk-head">
    ${k.state.logo === null ? nothing : html`<img class="logo" src=${k.state.logo} alt="" data-testid="office-logo" />`}
    <h1 @pointerdown=${hold.down} @pointerup=${hold.up} @pointerleave=${hold.up} @pointercancel=${hold.up}>${k.state.info?.office.name ?? 'Fronta'}</h1>
    <nav class="langs" aria-label=${t('ui.language')}>
      ${officeLangs(k.state).map(
        (l) => html`<button type="button" class="lang-button" lang=${l} aria-pressed=${l === currentLang() ? 'true' : 'false'} @click=${() => void chooseLang(k, l)}>
          ${LANG_NAMES[l]}
        </button>`,
      )}
    </nav>
  </header>`;
}

function screen(k: Kiosk, speech: Speech): { kind: string; body: TemplateResult } {
  const s = k.state.screen;
  // The ticket just printed (or the reason it was not) stays readable when the printer goes out,
  // and staff can still reach the settings of a kiosk that is out of order.
  if (isOutOfOrder(k.state) && s.kind !== 'issued' && s.kind !== 'failed' && s.kind !== 'settings') return { kind: 'out-of-order', body: outOfOrderScreen() };
  switch (s.kind) {
    case 'home':
      return { kind: s.kind, body: homeScreen(k, speech) };
    case 'priority':
      return { kind: s.kind, body: priorityScreen(k) };
    case 'services':
      return { kind: s.kind, body: servicesScreen(k, speech, s.categoryId) };
    case 'booking':
      return { kind: s.kind, body: keypadScreen(k, speech, s) };
    case 'printing':
      return { kind: s.kind, body: printingScreen() };
    case 'issued':
      return { kind: s.kind, body: issuedScreen(k, s) };
    case 'failed':
      return { kind: s.kind, body: failedScreen(k, s.error) };
    case 'settings':
      return { kind: s.kind, body: settingsScreen(k, s) };
    default: {
      const never: never = s;
      return never;
    }
  }
}

export function kioskView(k: Kiosk, speech: Speech, onPaired: () => void): TemplateResult {
  // Large text scales the root font size: every size in the kiosk's style sheet is in rem.
  document.documentElement.classList.toggle('accessible', k.state.isAccessible);
  if (k.state.pairing !== null) {
    return pairingForm('kiosk', k.state.pairing, k.update, () => {
      k.state.pairing = null;
      onPaired();
    });
  }
  if (k.state.info === null) return html``;
  const { kind, body } = screen(k, speech);
  return html`<div class="kiosk-shell">${header(k)}<main class=${`kiosk screen-${kind}`}>${body}</main></div>`;
}
