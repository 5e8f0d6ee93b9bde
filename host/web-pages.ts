import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The browser pages built by Vite (`npm run build:web`; `npm start` builds them first). */
export const WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

/**
 * Serves the built pages: /renderer/counter/, /renderer/floor/, /display/, /portal/, /backoffice/ (+ short aliases).
 * Hashed assets may be cached for ever; HTML is revalidated so an update reaches every screen.
 */
export async function servePages(app: FastifyInstance, root: string = WEB_ROOT): Promise<void> {
  if (!existsSync(root)) {
    app.log.warn({ root }, 'browser pages not built: run `npm run build:web`');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    setHeaders: (reply, path) => {
      void reply.header('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  for (const [short, target] of [
    ['/counter', '/renderer/counter/'],
    ['/floor', '/renderer/floor/'],
    ['/kiosk', '/renderer/kiosk/'],
  ] as const) {
    app.get(short, { schema: { hide: true } }, async (_req, reply) => reply.redirect(target));
  }
  // A ticket's public status page: the QR code on the paper links here; the page reads the id
  // from its own address. Its assets are absolute (/assets/…), so one HTML serves every id.
  app.get<{ Params: { id: string } }>('/t/:id', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('renderer/ticket/index.html'),
  );
  // The public booking portal; the links in booking messages point here (`/portal/?confirm=…`).
  app.get('/portal', { schema: { hide: true } }, async (req, reply) => reply.redirect(keepingQuery('/portal/', req.url)));
  app.get('/portal/', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('renderer/portal/index.html'));
  // The hall display: paired TVs open /display/ (their kiosk command line names it), so the
  // address stays while the page is built from renderer/display/.
  app.get('/display', { schema: { hide: true } }, async (req, reply) => reply.redirect(keepingQuery('/display/', req.url)));
  app.get('/display/', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('renderer/display/index.html'));
  // The back office (admins and supervisors): its sections are addressed in the hash (#/bans).
  app.get('/backoffice', { schema: { hide: true } }, async (req, reply) => reply.redirect(keepingQuery('/backoffice/', req.url)));
  app.get('/backoffice/', { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('renderer/backoffice/index.html'));
}

/** A redirect target with the query of the address asked for (`?lang=`, `?confirm=` survive). */
const keepingQuery = (target: string, url: string): string => target + (url.includes('?') ? url.slice(url.indexOf('?')) : '');
