import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Language } from '../../core/shared/model.ts';
import type { SpeechSynth } from '../../core/queue/voice.ts';

/** espeak-ng voices for the office languages (Debian's espeak-ng-data has all four). */
export const ESPEAK_VOICES: Readonly<Record<Language, string>> = { cs: 'cs', ro: 'ro', 'zh-CN': 'cmn', en: 'en-gb' };

export interface EspeakOptions {
  /** Folder for cached WAV files (survives restarts); none = memory only. */
  cacheDir?: string;
  binary?: string;
  /** Words per minute: a little slower than espeak's default 175 carries better in a hall. */
  speed?: number;
  /** Phrases kept in memory (each ~100 KB). */
  memoryEntries?: number;
  timeoutMs?: number;
}

/** Runs espeak-ng once: text goes in on stdin (never on the command line), WAV comes out on stdout. */
function runEspeak(binary: string, voice: string, speed: number, text: string, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-v', voice, '-s', String(speed), '--stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wav = Buffer.concat(chunks);
      if (code === 0 && wav.length > 44 && wav.subarray(0, 4).toString('latin1') === 'RIFF') resolve(wav);
      else reject(new Error(`espeak-ng exited with ${code}: ${stderr.trim().slice(0, 200)}`));
    });
    child.stdin.end(text, 'utf8');
  });
}

/**
 * Speech from Debian's espeak-ng (~15 ms a phrase). Cached by (voice, speed, text) in memory and
 * on disk; concurrent requests for the same phrase share one synthesis.
 */
export function espeakSpeech(opts: EspeakOptions = {}): SpeechSynth {
  const binary = opts.binary ?? 'espeak-ng';
  const speed = opts.speed ?? 150;
  const limit = opts.memoryEntries ?? 300;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const memory = new Map<string, Promise<Buffer>>();
  if (opts.cacheDir !== undefined) mkdirSync(opts.cacheDir, { recursive: true });

  async function produce(key: string, voice: string, text: string): Promise<Buffer> {
    const file = opts.cacheDir === undefined ? null : join(opts.cacheDir, `${key}.wav`);
    if (file !== null) {
      try {
        return await readFile(file);
      } catch {
        // not cached yet
      }
    }
    const wav = await runEspeak(binary, voice, speed, text, timeoutMs);
    if (file !== null) {
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, wav);
      await rename(tmp, file);
    }
    return wav;
  }

  return {
    wav(lang, text) {
      const voice = ESPEAK_VOICES[lang];
      const key = createHash('sha256').update(`${voice}\0${speed}\0${text}`).digest('hex').slice(0, 32);
      let pending = memory.get(key);
      if (pending === undefined) {
        pending = produce(key, voice, text);
        // A failure is not cached: the next announcement tries again (espeak-ng installed since).
        pending.catch(() => memory.delete(key));
        memory.set(key, pending);
        if (memory.size > limit) memory.delete(memory.keys().next().value!);
      } else {
        // Most recently used goes to the back of the eviction order.
        memory.delete(key);
        memory.set(key, pending);
      }
      return pending;
    },
  };
}
