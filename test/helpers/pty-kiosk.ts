import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PrinterProfile } from '../../drivers/printer/profile.ts';
import { createPtyPair, type PtyPair } from '../../drivers/printer/test-pty.ts';
import { VirtualPrinter } from '../../drivers/printer/virtual-printer.ts';
import { createDevice } from '../../server/provisioning.ts';
import { SqliteAccessStore } from '../../store/access.store.ts';
import { REPO_ROOT } from './child-host.ts';
import type { TestHost } from './harness.ts';

/**
 * Printing kiosks of office o1 on real serial lines: each kiosk's print agent a process of its
 * own (`fronta agent`), a socat pty pair as the cable, the virtual printer at the far end in the
 * test's process (so a test can run it out of paper, open its cover, unplug it, read what it
 * printed).
 */

export interface PtyKiosk {
  name: string;
  token: string;
  pty: PtyPair;
  printer: VirtualPrinter;
  agent: ChildProcess | null;
  agentOutput: string;
}

export interface IssueAnswer {
  status: number;
  /** The API's JSON answer, read by the tests field by field. */
  json: Awaited<ReturnType<Response['json']>>;
}

export class PtyKiosks {
  readonly kiosks: PtyKiosk[] = [];

  /**
   * `h`: the SQLite test host whose office gets the kiosks, or a function making a kiosk device and
   * answering its token (hosts on PostgreSQL). `base`: the host the agents connect to (and, unless
   * a call names another, the kiosks' requests go to). `heartbeatMs`: how often each agent reads
   * its printer while idle (and reports it).
   */
  constructor(
    private readonly h: TestHost | ((name: string) => Promise<string>),
    private readonly base: string,
    private readonly profile: PrinterProfile,
    private readonly heartbeatMs = 200,
  ) {}

  async add(name: string): Promise<PtyKiosk> {
    const token = typeof this.h === 'function' ? await this.h(name) : await this.provision(this.h, name);
    const pty = await createPtyPair();
    // The printer's end opens first: opening a port flushes what is waiting on it.
    const printer = await VirtualPrinter.openSerial({ path: pty.printerPath, profile: this.profile });
    const kiosk: PtyKiosk = { name, token, pty, printer, agent: null, agentOutput: '' };
    this.kiosks.push(kiosk);
    this.startAgent(kiosk);
    return kiosk;
  }

  private async provision(h: TestHost, name: string): Promise<string> {
    let n = 0;
    const device = await createDevice(
      new SqliteAccessStore(h.db),
      { clock: h.clock, ids: { ticketId: () => `x${++n}`, entityId: (p) => `${p}_${name}_${++n}` } },
      { officeId: 'o1', kind: 'kiosk', name, printer: 'agent' },
    );
    return device.token;
  }

  startAgent(k: PtyKiosk): void {
    const proc = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin/fronta.js'), 'agent', '--host-url', this.base, `--token=${k.token}`, '--port', k.pty.hostPath, '--profile', this.profile.model, '--heartbeat-ms', String(this.heartbeatMs)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (k.agentOutput += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (k.agentOutput += d));
    k.agent = proc;
  }

  async killAgent(k: PtyKiosk): Promise<void> {
    const proc = k.agent;
    k.agent = null;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await gone;
  }

  async issue(k: PtyKiosk, serviceId = 'o1-s1', base = this.base): Promise<IssueAnswer> {
    const res = await fetch(`${base}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${k.token}`, 'content-type': 'application/json', 'accept-language': 'cs' },
      body: JSON.stringify({ serviceId }),
    });
    return { status: res.status, json: await res.json() };
  }

  /** The kiosk's own view of its printer. */
  async printerState(k: PtyKiosk, base = this.base): Promise<{ state: string; isOutOfOrder: boolean }> {
    const res = await fetch(`${base}/api/v1/kiosk`, { headers: { authorization: `Bearer ${k.token}` } });
    return ((await res.json()) as { printer: { state: string; isOutOfOrder: boolean } }).printer;
  }

  /** Polls the kiosk's view of its printer until `state`; returns how long it took (ms). */
  async waitPrinter(k: PtyKiosk, state: string, timeoutMs = 15_000, base = this.base): Promise<number> {
    const t0 = Date.now();
    let last = '';
    while (Date.now() - t0 < timeoutMs) {
      last = (await this.printerState(k, base)).state;
      if (last === state) return Date.now() - t0;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${k.name}: printer still "${last}" after ${timeoutMs} ms, wanted "${state}"\n${k.agentOutput}`);
  }

  async close(): Promise<void> {
    for (const k of this.kiosks) {
      await this.killAgent(k);
      await k.printer.close();
      await k.pty.dispose();
    }
  }
}
