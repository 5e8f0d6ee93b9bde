import type { FastifyInstance } from 'fastify';
import type { Office } from '../core/model.ts';

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
  { key: 'Back office', href: null },
];

/**
 * The start page at `/`: links to each screen and the API docs, and a staff sign-in form
 * (the session cookie it sets is what the API docs' "Try it out" then uses).
 */
export function homePage(app: FastifyInstance, offices: () => Office[]): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const t = req.t;
    const screens = SCREENS.map((s) =>
      s.href === null ? `<li>${esc(s.key)} — <em>${esc(t('home.comingSoon'))}</em></li>` : `<li><a href="${s.href}">${esc(s.key)}</a></li>`,
    ).join('');
    const officeList = offices()
      .map((o) => `<li>${esc(o.name)} <code>${esc(o.id)}</code> (${esc(o.timeZone)}) — <a href="/api/v1/offices/${esc(o.id)}/services">services</a> · <a href="/portal/?office=${encodeURIComponent(o.id)}">booking</a></li>`)
      .join('');
    void reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="${req.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t('home.title'))}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#111}
input,button{font:inherit;padding:.4rem .6rem;margin:.2rem 0}label{display:block}#who{font-weight:600}</style></head>
<body><h1>${esc(t('home.title'))}</h1><p>${esc(t('home.intro'))}</p>
<h2>${esc(t('home.offices'))}</h2><ul>${officeList}</ul>
<h2>${esc(t('home.screens'))}</h2><ul>${screens}<li><a href="/api/docs">${esc(t('home.apiDocs'))}</a></li></ul>
<h2>${esc(t('home.signIn'))}</h2><p id="who" role="status"></p>
<form id="login"><label>${esc(t('home.username'))} <input name="username" autocomplete="username" required></label>
<label>${esc(t('home.password'))} <input name="password" type="password" autocomplete="current-password" required></label>
<button>${esc(t('home.submit'))}</button></form><button id="logout" hidden>${esc(t('home.signOut'))}</button>
<script type="module">
const who = document.getElementById('who'), form = document.getElementById('login'), out = document.getElementById('logout');
const signedIn = ${JSON.stringify(t('home.signedInAs', { name: '{name}', role: '{role}', office: '{office}' }))};
async function me() {
  const r = await fetch('/api/v1/auth/me');
  const body = await r.json();
  if (r.ok && body.user) {
    who.textContent = signedIn.replace('{name}', body.user.displayName).replace('{role}', body.user.role).replace('{office}', body.user.officeId);
    form.hidden = true; out.hidden = false;
  } else { form.hidden = false; out.hidden = true; }
}
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  if (!r.ok) { who.textContent = (await r.json()).error.message; return; }
  await me();
});
out.addEventListener('click', async () => { await fetch('/api/v1/auth/logout', { method: 'POST' }); who.textContent = ''; await me(); });
void me();
</script></body></html>`);
  });
}
