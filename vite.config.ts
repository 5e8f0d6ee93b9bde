import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const at = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * The browser pages, one multi-page build into dist/web (served by the host):
 * /renderer/counter/ (clerk), /renderer/floor/ (supervisor), /renderer/display/ (served as /display/: the hall screen),
 * /renderer/kiosk/ (lobby kiosk), /renderer/ticket/ (served as /t/<id>: a ticket's status),
 * /renderer/portal/ (served as /portal/: the public booking portal), /renderer/backoffice/ (served as /backoffice/:
 * admins and supervisors set their office up).
 */
export default defineConfig({
  root: at('.'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: at('dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        counter: at('renderer/counter/index.html'),
        floor: at('renderer/floor/index.html'),
        display: at('renderer/display/index.html'),
        kiosk: at('renderer/kiosk/index.html'),
        ticket: at('renderer/ticket/index.html'),
        portal: at('renderer/portal/index.html'),
        backoffice: at('renderer/backoffice/index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'ws://127.0.0.1:8080', ws: true } } },
});
