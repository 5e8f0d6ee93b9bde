import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Scripts and styles of the pages the host renders itself (start page, /demo pages), served as
 * files under /static/ because the Content-Security-Policy allows no inline script or style.
 * Resolved like WEB_ROOT, so the path also holds inside the kiosk's bundled build.
 */
export const STATIC_ROOT = fileURLToPath(new URL('../host/static/', import.meta.url));

export async function serveStaticFiles(app: FastifyInstance, root: string = STATIC_ROOT): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/static/',
    // The Vite pages' registration owns reply.sendFile.
    decorateReply: false,
    index: false,
    setHeaders: (reply) => {
      void reply.header('cache-control', 'no-cache');
    },
  });
}
