import type { FastifyInstance } from 'fastify';
import type { Office } from '../core/shared/model.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Screens as they arrive; each later issue adds its page here. */
const SCREENS: readonly { key: string; href: string | null }[] = [
  { key: 'Kiosk', href: '/kiosk' },
  { key: 'Virtual ticket printers (demo)', href: '/demo/printers' },
  { key: 'Counter', href: '/renderer/counter/' },
  { key: 'Hall display', href: '/display/' },
  { key: 'Floor view', href: '/renderer/floor/' },
  { key: 'Booking portal', href: '/portal/' },
  { key: 'Mail and SMS (demo sinks)', href: '/demo/messages' },
  { key: 'Back office', href: '/backoffice/' },
];

/** The demo's own screens: listed only when the host runs with `--demo` (otherwise they do not exist). */
const DEMO_ONLY = new Set(['/demo/printers', '/demo/messages']);

/**
 * The start page at `/`: links to each screen and the API docs, and a staff sign-in form
 * (the session cookie it sets is what the API docs' "Try it out" then uses). A host without an
 * office says so and how to get one. Its script and style are files (/static/): the CSP forbids
 * inline ones.
 */
export function homePage(app: FastifyInstance, offices: () => Promise<Office[]>, opts: { demo: boolean }): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const t = req.t;
    const screens = SCREENS.filter((s) => opts.demo || s.href === null || !DEMO_ONLY.has(s.href))
      .map((s) => (s.href === null ? `<li>${esc(s.key)} — <em>${esc(t('home.comingSoon'))}</em></li>` : `<li><a href="${s.href}">${esc(s.key)}</a></li>`))
      .join('');
    const list = await offices();
    const officeList = list
      .map((o) => `<li>${esc(o.name)} <code>${esc(o.id)}</code> (${esc(o.timeZone)}) — <a href="/api/v1/offices/${esc(o.id)}/services">services</a> · <a href="/portal/?office=${encodeURIComponent(o.id)}">booking</a></li>`)
      .join('');
    const officesHtml = list.length === 0 ? `<p class="notice" id="no-office">${esc(t('home.noOffice'))}</p>` : `<ul>${officeList}</ul>`;
    const signedIn = t('home.signedInAs', { name: '{name}', role: '{role}', office: '{office}' });
    void reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="${req.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t('home.title'))}</title><link rel="stylesheet" href="/static/home.css"><script type="module" src="/static/home.js"></script></head>
<body><h1>${esc(t('home.title'))}</h1><p>${esc(t('home.intro'))}</p>
<h2>${esc(t('home.offices'))}</h2>${officesHtml}
<h2>${esc(t('home.screens'))}</h2><ul>${screens}<li><a href="/api/docs">${esc(t('home.apiDocs'))}</a></li></ul>
<h2>${esc(t('home.signIn'))}</h2><p id="who" role="status" data-signed-in="${esc(signedIn)}"></p>
<form id="login"><label>${esc(t('home.username'))} <input name="username" autocomplete="username" required></label>
<label>${esc(t('home.password'))} <input name="password" type="password" autocomplete="current-password" required></label>
<button>${esc(t('home.submit'))}</button></form><button id="logout" hidden>${esc(t('home.signOut'))}</button>
</body></html>`);
  });
}
