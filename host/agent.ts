import { loadProfile } from '../drivers/printer/profile.ts';
import { PrintAgent } from '../drivers/printer/print-agent.ts';
import { SerialPrinter } from '../drivers/printer/serial.transport.ts';

export interface AgentConfig {
  hostUrl: string;
  token: string;
  /** Serial device of the printer, e.g. /dev/ttyUSB0. */
  port: string;
  /** Printer profile name (drivers/printer/profiles/<name>.json). */
  profile: string;
  baudRate: number;
  /** Idle status poll of the printer (also notices a pulled adapter); ms. */
  heartbeatMs: number;
}

/**
 * `fronta agent`: the print agent of one kiosk as a process of its own (a kiosk PC without the
 * Electron shell, tests). Runs until SIGTERM/SIGINT; logs one line per connection change.
 */
export async function runAgent(config: AgentConfig): Promise<void> {
  const profile = await loadProfile(config.profile);
  const log = (message: string): void => {
    process.stdout.write(`agent: ${message}\n`);
  };
  const printer = new SerialPrinter({
    path: config.port,
    baudRate: config.baudRate,
    heartbeatMs: config.heartbeatMs,
    // Below the host's acknowledgement timeout (6 s) even when everything times out at once.
    replyTimeoutMs: 800,
    confirmTimeoutMs: 3000,
  });
  printer.on('status:changed', (s) => log(`printer ${s.state}${s.detail === undefined ? '' : ` (${s.detail})`}`));
  const agent = new PrintAgent({ hostUrl: config.hostUrl, token: config.token, printer, profile, reportEveryMs: Math.max(250, config.heartbeatMs), log });
  await agent.start();
  log(`running for ${config.port} (${profile.model}) → ${config.hostUrl}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    agent.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
