import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';
import { loadProfile } from '../drivers/printer/profile.ts';
import { createPtyPair } from '../drivers/printer/test-pty.ts';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.ts';
import { createDevice } from '../server/provisioning.ts';
import { SqliteAccessStore } from '../store/access.store.ts';
import { REPO_ROOT } from '../test/helpers/child-host.ts';
import { startListeningHost } from './lib/host.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, percentile } from './lib/stats.ts';

/**
 * Issue-and-print: a kiosk request until the answer, which waits for the agent's
 * acknowledgement (agent in its own process, status read before the number is taken, checked
 * before and after printing, GS r 1 confirmed by the virtual printer at the far end of a socat
 * pty pair), then for the second durable commit. The status read before the number alone is
 * timed too: as a request refused for paper end, whose only work it is.
 * Baseline: the same ticket bytes written and drained straight to the same pty, in the same run.
 */

const TICKETS = 500;
const WARMUP = 20;
const REFUSALS = 200;

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const scenario: Scenario = {
  name: 'print',
  description: 'issue-and-print p99 (kiosk request → agent ack, agent process, pty) vs raw write+drain to the pty',
  async run() {
    const profile = await loadProfile('epson-tm-t20');
    const listening = await startListeningHost();
    const pty = await createPtyPair();
    let agent: ChildProcess | null = null;
    let printer: VirtualPrinter | null = null;
    try {
      const { token } = await createDevice(new SqliteAccessStore(listening.host.db), { clock: listening.host.clock, ids: { ticketId: () => 'x', entityId: (p) => `${p}_bench` } }, {
        officeId: 'o1',
        kind: 'kiosk',
        name: 'bench kiosk',
        printer: 'agent',
      });
      printer = await VirtualPrinter.openSerial({ path: pty.printerPath, profile });
      agent = spawn(process.execPath, [join(REPO_ROOT, 'bin/fronta.js'), 'agent', '--host-url', listening.url, `--token=${token}`, '--port', pty.hostPath, '--profile', profile.model, '--heartbeat-ms', '1000'], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'cs' };
      await waitFor(async () => {
        const r = await fetch(`${listening.url}/api/v1/kiosk`, { headers });
        return ((await r.json()) as { printer?: { state?: string } }).printer?.state === 'ok';
      }, 'the agent to report a good printer');

      const latencies: number[] = [];
      for (let i = 0; i < WARMUP + TICKETS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${listening.url}/api/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ serviceId: `o1-s${(i % 3) + 1}` }) });
        const ms = performance.now() - t0;
        if (res.status !== 201) throw new Error(`ticket ${i}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        if (i >= WARMUP) latencies.push(ms);
      }
      const jobs = printer.jobs.slice(WARMUP).map((j) => j.bytes);
      if (jobs.length !== TICKETS) throw new Error(`printer received ${jobs.length} jobs, expected ${TICKETS}`);

      // What reading the printer before the number costs: a request whose only work is that read
      // (host → agent → DLE EOT → back), refused because the paper ran out since the last heartbeat.
      printer.setCondition({ isPaperEnd: true });
      const reads: number[] = [];
      for (let i = 0; i < REFUSALS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${listening.url}/api/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ serviceId: 'o1-s1' }) });
        const ms = performance.now() - t0;
        const body = (await res.json()) as { error?: { code?: string } };
        if (body.error?.code !== 'PRINTER_OUT_OF_PAPER') throw new Error(`refusal ${i}: ${res.status} ${JSON.stringify(body)}`);
        reads.push(ms);
      }
      printer.setCondition({ isPaperEnd: false });

      // Baseline on the same line: the agent lets go of the port, this process writes the bytes.
      const exited = new Promise((r) => agent!.once('exit', r));
      agent.kill('SIGTERM');
      await exited;
      agent = null;
      const port = new SerialPort({ path: pty.hostPath, baudRate: 9600, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
      const raw: number[] = [];
      for (let i = 0; i < WARMUP + TICKETS; i++) {
        const bytes = jobs[i % jobs.length]!;
        const t0 = performance.now();
        port.write(Buffer.from(bytes));
        await new Promise<void>((resolve, reject) => port.drain((e) => (e ? reject(e) : resolve())));
        if (i >= WARMUP) raw.push(performance.now() - t0);
      }
      await new Promise<void>((resolve) => port.close(() => resolve()));

      const p99 = percentile(latencies, 99);
      const base = percentile(raw, 99);
      const bytes = median(jobs.map((b) => b.length));
      note(`issue-and-print: median ${median(latencies).toFixed(2)} ms, p50..p99..max ${percentile(latencies, 50).toFixed(2)} .. ${p99.toFixed(2)} .. ${Math.max(...latencies).toFixed(2)} ms over ${TICKETS} tickets`);
      note(`raw write+drain: median ${median(raw).toFixed(3)} ms, p99 ${base.toFixed(3)} ms; bytes per ticket min ${Math.min(...jobs.map((b) => b.length))} max ${Math.max(...jobs.map((b) => b.length))} (${profile.model}, native QR)`);
      note(`status read before the number (a refused request, HTTP included): median ${median(reads).toFixed(2)} ms, p99 ${percentile(reads, 99).toFixed(2)} ms`);
      figure('print.p99_ms', p99, 'ms');
      figure('print.status_read_p50_ms', median(reads), 'ms');
      figure('print.status_read_p99_ms', percentile(reads, 99), 'ms');
      figure('print.baseline_p99_ms', base, 'ms');
      figure('print.ratio', p99 / base, 'ratio');
      figure('print.bytes_per_ticket', bytes, 'bytes');
      figure('print.line_ms_9600', (bytes * 10 * 1000) / 9600, 'ms');
    } finally {
      if (agent !== null) {
        const a = agent;
        const exited = new Promise((r) => a.once('exit', r));
        a.kill('SIGKILL');
        await exited;
      }
      await printer?.close();
      await pty.dispose();
      await listening.close();
    }
  },
};
