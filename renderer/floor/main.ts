// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { initI18n, t } from '../shared/i18n.ts';
import { loginForm, whoAmI } from '../shared/login.ts';
import { mount } from '../shared/view.ts';
import { fail, page, state } from './state.ts';
import { live, load } from './sync.ts';
import { view } from './views.ts';
import '../shared/base.css';
import './floor.css';

/**
 * The supervisor's floor view: every counter with its state, clerk and current ticket; the lines
 * with their waiting count and longest wait; kiosk printers; closing a service for the day; the
 * crisis switch of online booking (stop it with a message to the public in each office
 * language, resume it).
 */

const app = document.getElementById('app')!;

async function boot(): Promise<void> {
  await initI18n();
  state.me = (await whoAmI()) ?? (await loginForm(app, `Fronta — ${t('floor.title')}`));
  page.update = mount(app, view);
  if (state.me.role === 'clerk') return;
  await load();
  live.connect();
  // Waiting minutes move on without events.
  setInterval(page.update, 30_000);
}

boot().catch((e: unknown) => {
  page.update = mount(app, view);
  fail(e);
});
