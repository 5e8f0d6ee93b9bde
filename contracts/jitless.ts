import { config } from 'zod';

/**
 * Imported first by every browser page, before any schema is built. The host's CSP forbids eval;
 * zod's JIT parser probes `new Function` when an object schema is built, and Chromium reports that
 * probe as a CSP violation even though zod catches it. The pages parse little, so the plain
 * (jitless) parser costs nothing they would notice; the host keeps the JIT.
 */
config({ jitless: true });
