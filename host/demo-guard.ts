import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessStore } from '../core/access/access.ts';
import type { Clock } from '../core/queue/ports.ts';
import { resolveIdentity, type Identity } from '../server/auth.ts';
import { httpStatusOf } from '../core/shared/errors.ts';
import { errorBody } from '../server/errors.ts';
import { clientKey } from '../server/routes/booking.context.ts';

export const isLoopback = (ip: string): boolean => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

export interface DemoGuardDeps {
  access: AccessStore;
  clock: Clock;
  /** The demo office: its staff may use the demo pages from any address. */
  officeId: string;
  /** Behind a reverse proxy the peer is always the proxy: the caller is the X-Forwarded-For address. */
  trustProxy: boolean;
}

/**
 * The /demo pages show every message the sinks caught (phone numbers, confirm and cancel links)
 * and switch printers out of service, so even in demo mode they answer only the machine itself
 * (whoever runs `npm start` at its keyboard) or signed-in staff of the demo office.
 */
export function guardDemoRoutes(app: FastifyInstance, deps: DemoGuardDeps): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (isLoopback(clientKey(req, deps.trustProxy))) return;
    let who: Identity;
    try {
      who = await resolveIdentity(deps.access, deps.clock, req);
    } catch {
      who = { kind: 'anonymous' };
    }
    if (who.kind === 'user' && who.user.officeId === deps.officeId) return;
    const code = who.kind === 'anonymous' ? 'AUTH_REQUIRED' : 'FORBIDDEN';
    return reply.status(httpStatusOf(code)).send(errorBody(req.t, code));
  });
}
