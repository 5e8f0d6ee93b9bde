// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import type { KioskBridge } from '../../contracts/kiosk.ts';
import { ApiFailure } from '../shared/api.ts';
import { initI18n } from '../shared/i18n.ts';
import { LiveConnection } from '../shared/live.ts';
import { newPairing, pairDevice } from '../shared/pairing.ts';
import { Actions } from '../shared/ui.ts';
import { mount } from '../shared/view.ts';
import { touched } from './actions.ts';
import { bindKeys } from './keys.ts';
import { Speech } from './speech.ts';
import { newState, type Kiosk } from './state.ts';
import { applyEvent, KIOSK_EVENTS, loadAll, resyncAfterOutage } from './sync.ts';
import { kioskView } from './views/frame.ts';
import '../shared/base.css';
import './kiosk.css';

/**
 * The lobby kiosk. A paired device: its token lives in an HttpOnly cookie, never in the page
 * (the Electron shell hands it over once, on first start). After 30 s without a touch it returns
 * to the first screen in the office's default language, large text off.
 */

const bridge = (window as unknown as { frontaKiosk?: KioskBridge }).frontaKiosk;
const offline = document.getElementById('offline')!;

function createKiosk(): { k: Kiosk; speech: Speech } {
  const speech = new Speech();
  let update = (): void => undefined;
  const k: Kiosk = {
    state: newState(),
    update: () => update(),
    actions: new Actions(() => update()),
    live: new LiveConnection({
      types: KIOSK_EVENTS,
      apply: (e) => {
        if (applyEvent(k, e)) speech.say(k.state.isAccessible, 'outOfOrder');
      },
      // After an outage the truth (printer, capacity) is re-read, not patched.
      resync: () => resyncAfterOutage(k),
      onAuthRefused: () => {
        k.state.pairing = newPairing();
        k.update();
      },
    }),
    timers: {},
  };
  update = mount(document.getElementById('app')!, () => kioskView(k, speech, () => void start(k)));
  return { k, speech };
}

async function start(k: Kiosk): Promise<void> {
  await loadAll(k);
  k.live.connect();
}

/** Unpaired: the token from the Electron shell if it has one, else the pairing form. */
async function pairFirst(k: Kiosk): Promise<void> {
  const handed = bridge === undefined ? null : await bridge.pairingToken().catch(() => null);
  if (handed !== null && handed !== '') {
    try {
      await pairDevice(handed, 'kiosk');
      await start(k);
      return;
    } catch (err) {
      k.state.pairing = newPairing(err instanceof Error ? err.message : String(err));
      k.update();
      return;
    }
  }
  k.state.pairing = newPairing();
  k.update();
}

async function boot(k: Kiosk): Promise<void> {
  try {
    await start(k);
    offline.hidden = true;
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 403)) {
      await pairFirst(k);
      return;
    }
    // The host is not there (yet): try again, as after a power cut the kiosk may boot first.
    offline.textContent = err instanceof Error ? err.message : String(err);
    offline.hidden = false;
    window.setTimeout(() => void boot(k), 3000);
  }
}

await initI18n();
const { k, speech } = createKiosk();
for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, () => touched(k), { capture: true, passive: true });
bindKeys(k, speech);
touched(k);
await boot(k);
