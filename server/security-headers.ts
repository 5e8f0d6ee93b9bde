import type { FastifyInstance } from 'fastify';

/**
 * The one Content-Security-Policy of the host, on every answer (pages, API docs, JSON, errors):
 * scripts and styles only as files from this host (no inline <script>/<style>, no style
 * attributes, no eval), live updates over socket.io to this host only, and no framing, so a
 * counter or floor page cannot be overlaid by another site (clickjacking). Audio the kiosk and
 * hall display play comes from this host's API; swagger UI draws a few icons as data: images.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: readonly [string, string][] = [
  ['content-security-policy', CONTENT_SECURITY_POLICY],
  // For browsers that predate frame-ancestors.
  ['x-frame-options', 'DENY'],
  // A JSON answer or an uploaded-looking file is never run as a script or page.
  ['x-content-type-options', 'nosniff'],
  // Confirm and cancel links carry secrets in their query: never hand them to another site.
  // Not `no-referrer`: under it a browser sends `Origin: null` on its own same-origin POSTs,
  // and the origin check (server/origin-check.ts) would refuse staff's own pages.
  ['referrer-policy', 'same-origin'],
];

/**
 * The API docs page only: swagger UI's bundle inserts one fixed <style> element at run time; its
 * hash (as Chromium reports it) is allowed there and nowhere else. A swagger UI upgrade that
 * changes it shows up as a violation in test/e2e/csp.e2e.test.ts.
 */
export const SWAGGER_UI_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

export const allowSwaggerUiStyle = (csp: string): string => csp.replace("style-src 'self'", `style-src 'self' ${SWAGGER_UI_STYLE_HASH}`);

/** Sets the headers first thing, so even a 404, a refusal or a rate-limit answer carries them. */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of HEADERS) void reply.header(name, value);
    done();
  });
}
