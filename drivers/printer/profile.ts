import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const byte = z.number().int().min(0).max(255);

/**
 * What the encoder needs to know about one printer model. Code page numbers are the model's own
 * `ESC t n` table numbers: clones do not always number them like Epson, so they live here and
 * never in the encoder. Widths are for font A at the model's native resolution.
 */
export const printerProfileSchema = z.strictObject({
  /** File name in `profiles/` without `.json`; also what an office's configuration names. */
  model: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  codePages: z.strictObject({
    /** `ESC t n` for PC852 (Latin 2): Czech, Romanian (cedilla forms), English. */
    cp852: byte,
    /** `ESC t n` sent before `FS &` for GB18030; selects the table used for bytes below 0x80. */
    gb18030: byte,
  }),
  paper: z.strictObject({
    widthMm: z.number().positive(),
    /** Characters per line at normal size. */
    columns: z.number().int().min(16).max(128),
    /** Printable dots per line. */
    dots: z.number().int().min(128).max(4096),
  }),
  hasCutter: z.boolean(),
  /** Whether the model prints QR codes itself from `GS ( k`; otherwise the encoder sends a raster. */
  hasNativeQr: z.boolean(),
  /** Printed size of one QR module in dots (0.125 mm at 203 dpi). */
  qrModuleDots: z.number().int().min(1).max(16),
  notes: z.string().optional(),
});

export type PrinterProfile = z.infer<typeof printerProfileSchema>;

/** Throws a readable error naming the profile when the data is not a valid profile. */
export function parseProfile(data: unknown, source = 'printer profile'): PrinterProfile {
  const result = printerProfileSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`${source} is invalid: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/**
 * Loads `profiles/<model>.json` (or from `directory`). The model name is checked before it
 * touches the file system because it comes from office configuration.
 */
export async function loadProfile(model: string, directory: URL = new URL('./profiles/', import.meta.url)): Promise<PrinterProfile> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(model)) {
    throw new Error(`printer model "${model}" is not a valid profile name`);
  }
  const file = new URL(`${model}.json`, directory);
  const profile = parseProfile(JSON.parse(await readFile(file, 'utf8')) as unknown, `printer profile ${model}`);
  if (profile.model !== model) {
    throw new Error(`printer profile ${model} declares model "${profile.model}"`);
  }
  return profile;
}
