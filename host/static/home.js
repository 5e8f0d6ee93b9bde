// The start page's staff sign-in (a file, not inline: the host's CSP allows scripts from files only).
const who = document.getElementById('who');
const form = document.getElementById('login');
const out = document.getElementById('logout');
const signedIn = who.dataset.signedIn ?? '';

async function me() {
  const r = await fetch('/api/v1/auth/me');
  const body = await r.json();
  if (r.ok && body.user) {
    who.textContent = signedIn.replace('{name}', body.user.displayName).replace('{role}', body.user.role).replace('{office}', body.user.officeId);
    form.hidden = true;
    out.hidden = false;
  } else {
    form.hidden = false;
    out.hidden = true;
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  if (!r.ok) {
    who.textContent = (await r.json()).error.message;
    return;
  }
  await me();
});

out.addEventListener('click', async () => {
  await fetch('/api/v1/auth/logout', { method: 'POST' });
  who.textContent = '';
  await me();
});

void me();
