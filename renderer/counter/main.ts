// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { html } from 'lit-html';
import { ApiFailure } from '../shared/api.ts';
import { initI18n, t } from '../shared/i18n.ts';
import { loginForm, whoAmI } from '../shared/login.ts';
import { mount } from '../shared/view.ts';
import { onKey } from './keys.ts';
import { mine, page, showError, state } from './state.ts';
import { live, loadOffice } from './sync.ts';
import { dialogView } from './views/dialogs.ts';
import { counterAlerts, printerWarnings, queueView } from './views/queue.ts';
import { currentView, header, pickerView } from './views/work.ts';
import '../shared/base.css';
import './counter.css';

/**
 * The counter terminal: the counter picker, then the current client with every action on a
 * one-key shortcut, the lines beside it, and dialogs for transfer, reception, reprint and
 * check-in. Live events patch the page; what is typed and focused stays put.
 */

const app = document.getElementById('app')!;

function view(): unknown {
  const entry = mine();
  document.title = `${entry === undefined ? t('counter.title') : t('counter.counterN', { number: entry.counter.number })} — Fronta`;
  return html`${header()} ${printerWarnings()} ${counterAlerts()}
  ${state.counterId === null || entry === undefined ? pickerView() : html`<main class="work">${currentView()} ${queueView()}</main>`} ${dialogView()}`;
}

async function boot(): Promise<void> {
  await initI18n();
  state.me = (await whoAmI()) ?? (await loginForm(app, `Fronta — ${t('counter.title')}`));
  await loadOffice();
  page.update = mount(app, view);
  document.addEventListener('keydown', onKey);
  // Waiting times tick: a re-render every 15 s (the patch touches only the minutes that changed).
  setInterval(page.update, 15_000);
  live.connect();
}

boot().catch((e: unknown) => {
  if (e instanceof ApiFailure && e.status === 0) document.getElementById('offline')!.hidden = false;
  page.update = mount(app, view);
  showError(e);
});
