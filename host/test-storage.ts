import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../store/database.ts';
import { isLoopback } from './demo-guard.ts';

/**
 * SQLite's own page limit as a full disk, for the reliability suite on a machine where it may
 * neither mount a small tmpfs nor limit the host's file size: `{ full: true }` caps the database
 * at the pages it has (the next write that needs a page fails with SQLITE_FULL, as on a full
 * disk), `{ full: false }` lifts the cap. A test host only (FRONTA_FAKE_CLOCK, as the test
 * clock), loopback callers only.
 */
const SQLITE_MAX_PAGES = 4_294_967_294;
const Body = z.object({ full: z.boolean() });

export function testPageLimitRoute(app: FastifyInstance, db: Db): void {
  app.post('/test/page-limit', { schema: { hide: true } }, async (req, reply) => {
    if (!isLoopback(req.ip)) return reply.status(403).send({ error: { code: 'FORBIDDEN', message: 'the page limit answers loopback callers only' } });
    const body = Body.safeParse(req.body);
    if (!body.success) return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: '{ full: boolean }' } });
    // SQLite never sets the limit below the pages in use: 1 means "what it has now".
    const max = db.pragma(`max_page_count = ${body.data.full ? 1 : SQLITE_MAX_PAGES}`, { simple: true }) as number;
    return { maxPageCount: max, pageCount: db.pragma('page_count', { simple: true }) as number };
  });
}
