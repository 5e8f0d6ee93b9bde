// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { nothing } from 'lit-html';
import { DISPLAY_EVENT_TYPES } from '../../contracts/socket.ts';
import { currentLang, initI18n, initialLang, isLang, setLang, t, type Lang } from '../shared/i18n.ts';
import { LiveConnection } from '../shared/live.ts';
import { isLogoChange } from '../shared/logo.ts';
import { newPairing, pairingForm } from '../shared/pairing.ts';
import { mount } from '../shared/view.ts';
import { Announcer } from './announcer.ts';
import { applyEvent, logAnnounced, newState, save } from './state.ts';
import { hostSkewMs, pairedOffice, readLogo, readOffice, readServices, readVoiceLanguages, startingPoint } from './sync.ts';
import { screen } from './views/screen.ts';
import '../shared/base.css';
import './display.css';

/**
 * The hall display. It shows every call at once — sound or no sound — and never misses one: it
 * keeps the id of the last event it applied (also across reloads) and every (re)connection asks
 * the host for everything after it. Calls younger than 60 s are announced; the voice follows the
 * screen and never lags it by more than one call (announcer.ts).
 */

const params = new URLSearchParams(location.search);
const langParam = params.get('lang');
/** `?voice=cs,en` overrides the office's voice languages on this screen. */
const voiceParam = (params.get('voice') ?? '').split(',').filter(isLang);
const rate = Math.min(16, Math.max(0.5, Number(params.get('rate') ?? '1') || 1));
/** The office may change its voice languages; a display picks them up within this time. */
const SETTINGS_REFRESH_MS = 5 * 60_000;

const state = newState(newPairing());
/** For the log: how far behind the screen each announcement started. */
const startedBehind = new Map<number, number>();

const announcer = new Announcer({
  languages: () => (voiceParam.length > 0 ? voiceParam : state.voiceLanguages),
  rate,
  onStart: (a) => {
    state.announcing = a.eventId;
    startedBehind.set(a.eventId, state.calls.findIndex((c) => c.eventId === a.eventId));
    update();
  },
  onDone: (a, how) => {
    if (state.announcing === a.eventId) state.announcing = null;
    logAnnounced(state, { eventId: a.eventId, text: `${a.number} → ${a.counter}`, how, behind: how === 'skipped' ? -1 : (startedBehind.get(a.eventId) ?? -1) });
    startedBehind.delete(a.eventId);
    update();
  },
  onSoundChange: (canPlay) => {
    state.canPlay = canPlay;
    update();
  },
});
state.canPlay = announcer.canPlay;
// Any tap or key (the pairing tap included) is the gesture a browser wants before it plays sound.
for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, () => announcer.unlock());
announcer.unlock(); // with the autoplay flag this is enough; without it, it waits for that tap

const live = new LiveConnection({
  types: DISPLAY_EVENT_TYPES,
  apply: (e) => {
    // The office renamed itself or a service, or closed one: the screen re-reads them, no reload.
    if (e.type === 'config:changed') void rereadOffice(isLogoChange(e.payload.sections)).catch(() => undefined);
    const call = applyEvent(state, e);
    if (call !== null) announcer.enqueue({ eventId: call.eventId, number: call.number, counter: call.counter, recall: call.recalls > 0 });
    save(state, live.lastEventId);
    update();
  },
  resync: async () => {
    await Promise.all([readServices(state), refreshVoice()]);
    update();
  },
  onAuthRefused: () => {
    live.close();
    state.screen = 'pairing';
    state.pairing = newPairing(t('errors.AUTH_TOKEN_INVALID'));
    update();
  },
});

const view = (): unknown => {
  switch (state.screen) {
    case 'starting':
      return nothing;
    case 'pairing':
      return pairingForm('display', state.pairing, update, () => void boot());
    case 'hall':
      return screen(state);
    default: {
      const never: never = state.screen;
      return never;
    }
  }
};
const update = mount(document.getElementById('app')!, view);

async function rereadOffice(isLogoChanged: boolean): Promise<void> {
  await Promise.all([readOffice(state, state.officeId), readServices(state), isLogoChanged ? readLogo(state) : undefined]);
  update();
}

async function refreshVoice(): Promise<void> {
  state.voiceLanguages = await readVoiceLanguages(state.officeId);
}

let hasCatalogue = false;

/** Loads the screen's language: the only catalogue the display downloads, unless it is re-paired. */
async function useLang(lang: Lang): Promise<void> {
  if (!hasCatalogue) await initI18n(lang);
  else if (lang !== currentLang()) await setLang(lang, false);
  hasCatalogue = true;
}

async function start(officeId: string): Promise<void> {
  const [officeLangs, skew] = await Promise.all([readOffice(state, officeId), hostSkewMs()]);
  state.skewMs = skew;
  // The screen speaks the office's first language unless ?lang= says otherwise.
  await useLang(isLang(langParam) ? langParam : (officeLangs[0] ?? initialLang()));
  await Promise.all([readServices(state), refreshVoice(), readLogo(state).catch(() => undefined)]);
  live.seen(await startingPoint(state));
  state.screen = 'hall';
  update();
  live.connect();
}

/** Until the host answers, the display says it is offline and tries again every 3 s. */
async function boot(): Promise<void> {
  const offline = document.getElementById('offline')!;
  try {
    const officeId = await pairedOffice();
    offline.hidden = true;
    if (officeId !== null) await start(officeId);
    else {
      await useLang(isLang(langParam) ? langParam : initialLang());
      state.screen = 'pairing';
      update();
    }
  } catch {
    await useLang(isLang(langParam) ? langParam : initialLang()).catch(() => undefined);
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
    setTimeout(() => void boot(), 3000);
  }
}

setInterval(() => {
  state.now = Date.now();
  update();
}, 5_000);
setInterval(() => {
  if (state.screen === 'hall') void refreshVoice().catch(() => undefined);
}, SETTINGS_REFRESH_MS);

await boot();
