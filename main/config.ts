import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The kiosk PC's configuration (`fronta-kiosk.json` in Electron's userData folder, or the file
 * named by FRONTA_KIOSK_CONFIG). The device token is handed to the kiosk page once for pairing
 * and used by the print agent; keep the file readable by the kiosk user only.
 */
export const KioskShellConfig = z.object({
  /** The host the kiosk belongs to, e.g. http://fronta.office.local:8080 */
  hostUrl: z.url(),
  /** The kiosk's device token (`fronta devices add --kind kiosk --printer agent`). */
  token: z.string().min(16).max(200),
  /** The printer beside this kiosk; absent = a kiosk without printer (`printer: 'none'`). */
  printer: z
    .object({
      port: z.string().min(1),
      profile: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).default('epson-tm-t20'),
      baudRate: z.number().int().positive().default(9600),
      heartbeatMs: z.number().int().positive().default(5000),
    })
    .optional(),
  /**
   * A single-PC office: this kiosk PC also runs the host (SQLite in `dataDir`), started in this
   * process before the window opens; `hostUrl` should then point at 127.0.0.1:`port`.
   */
  singlePc: z.object({ dataDir: z.string().min(1), port: z.number().int().min(1).max(65535) }).optional(),
});
export type KioskShellConfigT = z.infer<typeof KioskShellConfig>;

export function readShellConfig(file: string): KioskShellConfigT {
  const parsed = KioskShellConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
