// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { html } from 'lit-html';
import { initI18n, t } from '../shared/i18n.ts';
import { loginForm, whoAmI } from '../shared/login.ts';
import { mount } from '../shared/view.ts';
import { SECTIONS } from './sections.ts';
import { Shell } from './shell.ts';
import '../shared/base.css';
import './backoffice.css';

/**
 * The back office: an office's admins and supervisors set it up and run it (bans, rosters, rules,
 * the outbox, booking settings, the hall's voice, users and devices); everyone signed in changes
 * their own password here.
 */

const app = document.getElementById('app')!;

async function boot(): Promise<void> {
  await initI18n();
  const me = (await whoAmI()) ?? (await loginForm(app, `Fronta — ${t('backoffice.title')}`));
  let update = (): void => undefined;
  const shell = new Shell(me, SECTIONS, () => update());
  update = mount(app, () => shell.view());
  await shell.start();
}

boot().catch((e: unknown) => {
  mount(app, () => html`<p role="alert" class="error">${e instanceof Error ? e.message : String(e)}</p>`);
});
