import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from './config.ts';
import { markHostRunning } from './backup.ts';
import { createHost } from './host.ts';
import { readDemoPrinters } from './demo-printers.ts';
import { formatCredentials, seedDemo } from './seed-demo.ts';
import { randomIds, systemClock } from './system.ts';

/** What the host says when its data folder holds no office (stdout; the start page says the same). */
export const NO_OFFICE_HINT =
  'This host has no office yet. To set up your own: `fronta init --office-name "…" --time-zone Europe/Prague --languages cs,en`. ' +
  'To try Fronta instead, run `fronta serve --demo` (what `npm start` does): it creates the demo office.';

/**
 * `fronta serve`: start the host, stop gracefully on signals. With `--demo` an empty data folder
 * gets the demo office (and its credentials); without it the host starts empty and says so.
 */
export async function serve(config: HostConfig): Promise<void> {
  const host = await createHost(config);
  // Backups and the restore guard are the SQLite file's; PostgreSQL is backed up by its own tools.
  const onSqlite = host.stores.sqlite !== null;
  const unmark = onSqlite ? markHostRunning(config.dataDir) : () => {};
  host.backups?.start();
  const stopBackups = (): void => host.backups?.stop();
  const hasOffice = await host.queue.read(async (s) => (await s.listOffices()).length > 0);
  let banner = '';
  if (!hasOffice && config.demo) {
    const creds = await seedDemo(host.stores, { ids: randomIds, clock: systemClock }, config.dataDir);
    banner = `\nFirst run: created the demo office "demo" (3 services, 4 counters) and these credentials\n(also in ${join(config.dataDir, 'demo-credentials.txt')}):\n\n${formatCredentials(creds)}`;
  } else if (!hasOffice) {
    banner = `\n${NO_OFFICE_HINT}\n`;
  } else if (config.demo) {
    try {
      banner = `\nDemo credentials (${join(config.dataDir, 'demo-credentials.txt')}):\n\n${readFileSync(join(config.dataDir, 'demo-credentials.txt'), 'utf8')}`;
    } catch {
      banner = '';
    }
  }
  // Handlers first: a SIGTERM that arrives as soon as the host answers must still stop it cleanly.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    host.app.log.info({ signal }, 'shutting down');
    stopBackups();
    host.close().then(
      () => {
        unmark();
        process.exit(0);
      },
      (err: unknown) => {
        host.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const address = await host.app.listen({ host: config.host, port: config.port });
  // The demo kiosks' print agents log in over the network like any kiosk PC's, so they need
  // the address actually bound; they are up before the banner says the host is ready.
  const printers = config.demo ? readDemoPrinters(config.dataDir) : [];
  if (printers.length > 0) {
    await host.demoPrinters.start(address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]'), printers);
    banner += `\nVirtual ticket printers of the demo kiosks: ${config.port === 0 ? address : config.publicUrl}/demo/printers\n`;
  }
  if (host.payments?.simulator) banner += `\nPayment simulator (GOV.UK Pay API, test card 4444 3333 2222 1111): ${host.payments.simulator.url}\n`;
  if (config.fakeClockAt !== null) banner += `\nTEST CLOCK (FRONTA_FAKE_CLOCK): the host's time stands still at ${new Date(host.clock.now()).toISOString()} until POST /test/clock moves it.\n`;
  // With --port 0 the configured address is unknown until now.
  const url = config.port === 0 ? address : config.publicUrl;
  process.stdout.write(
    `\nFronta is running at ${url} (listening on ${address})\n` +
      `  start page: ${url}/   API docs: ${url}/api/docs\n` +
      (config.demo ? `  sign in on the start page with the admin or clerk user below.\n` : '') +
      `${banner}\n`,
  );
}

