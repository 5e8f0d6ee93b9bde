import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { DEVICE_COOKIE, SESSION_COOKIE } from './auth.ts';
import { errorBody } from './errors.ts';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `https://a.example/x?y` → `https://a.example`; null for what is no http(s) address. */
function originOf(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Whether a cookie-authenticated change comes from a page of this host. SameSite=Strict keeps
 * other sites' requests from carrying the cookies, but a page on the same host at another port
 * is the same site; its fetch carries them. Staff reach the host by its office-network name, so
 * the request's own Host is what a genuine page has as its origin; the public URL and the
 * configured origins are allowed besides. A request with neither Origin nor Referer is no
 * browser's cross-origin POST (a browser always sends Origin on those): the CLI, curl, a script.
 */
export function originAllowed(req: { headers: IncomingHttpHeaders }, allowed: ReadonlySet<string>): boolean {
  const stated = req.headers.origin ?? req.headers.referer;
  if (stated === undefined) return true;
  const url = originOf(stated);
  if (url === null) return false;
  if (allowed.has(url.origin)) return true;
  const host = req.headers.host;
  return host !== undefined && url.host === host.toLowerCase();
}

/**
 * Refuses (403 ORIGIN_REFUSED) state changes carried by a staff session or a paired device's
 * cookie from a foreign origin, before anything is parsed or run. A device's Authorization
 * header is no ambient credential (a page cannot make a browser add it), so those pass.
 */
/** The configured origins plus the public URL's (the request's own Host is checked per request). */
export function allowedOrigins(opts: { publicUrl: string; allowedOrigins?: readonly string[] | undefined }): Set<string> {
  const allowed = new Set<string>(opts.allowedOrigins ?? []);
  const own = originOf(opts.publicUrl);
  if (own !== null) allowed.add(own.origin);
  return allowed;
}

export function originCheck(app: FastifyInstance, opts: { publicUrl: string; allowedOrigins?: readonly string[] | undefined }): void {
  const allowed = allowedOrigins(opts);
  app.addHook('onRequest', (req, reply, done) => {
    const cookies = req.cookies;
    const byCookie = req.headers.authorization === undefined && (cookies[SESSION_COOKIE] !== undefined || cookies[DEVICE_COOKIE] !== undefined);
    if (!byCookie || !CHANGES.has(req.method) || originAllowed(req, allowed)) {
      done();
      return;
    }
    void reply.status(403).send(errorBody(req.t, 'ORIGIN_REFUSED'));
  });
}
