import type { AnnouncedHow } from './state.ts';
import { chime, play, sleep, speakFallback } from './sound.ts';

/**
 * The hall's voice. The screen is the truth and the voice follows it, never more than one call
 * behind: while a call is being announced, at most ONE call waits — the newest; a newer call
 * replaces it (the replaced one is skipped: it is on the screen). And when a newer call waits,
 * the announcement in progress stops after the language it is speaking. A call is a gong, then
 * the phrase in each voice language (an office setting). The speech comes from the host
 * (espeak-ng, WAV); the browser's speechSynthesis is only the fallback when the host cannot speak.
 */

export interface Announcement {
  /** Event id of the call. */
  eventId: number;
  number: string;
  counter: string;
  recall: boolean;
}

export interface AnnouncerOptions {
  /** The voice languages, read at each call (the office may change them). */
  languages: () => readonly string[];
  /** Playback speed (1 = normal); a test may speed the hall up. */
  rate: number;
  onStart(a: Announcement): void;
  onDone(a: Announcement, how: AnnouncedHow): void;
  /** The browser let sound play, or stopped letting it. */
  onSoundChange(canPlay: boolean): void;
}

interface Pending {
  a: Announcement;
  languages: readonly string[];
  clips: Promise<(AudioBuffer | null)[]>;
}

export class Announcer {
  readonly ctx: AudioContext;
  private pending: Pending | null = null;
  private isRunning = false;

  constructor(private readonly opts: AnnouncerOptions) {
    // Created at once, even while the autoplay policy keeps it suspended: the first tap resumes it.
    this.ctx = new AudioContext();
    this.ctx.onstatechange = () => opts.onSoundChange(this.canPlay);
  }

  /** True when the browser lets the page play sound (autoplay policy, or a tap unlocked it). */
  get canPlay(): boolean {
    return this.ctx.state === 'running';
  }

  /**
   * Asks the browser for sound. Never awaited before showing anything: without a user gesture
   * (and without the autoplay flag) the promise stays pending until the first tap.
   */
  unlock(): void {
    void this.ctx.resume().catch(() => undefined);
  }

  enqueue(a: Announcement): void {
    if (this.pending !== null) this.opts.onDone(this.pending.a, 'skipped');
    const languages = this.opts.languages();
    // Fetched (and decoded) at once, so the voice is ready when its turn comes.
    this.pending = { a, languages, clips: Promise.all(languages.map((lang) => this.fetchClip(a, lang))) };
    void this.drain();
  }

  private async fetchClip(a: Announcement, lang: string): Promise<AudioBuffer | null> {
    const q = new URLSearchParams({ lang, number: a.number, counter: a.counter, ...(a.recall ? { recall: '1' } : {}) });
    try {
      const res = await fetch(`/api/v1/announcements/voice?${q.toString()}`, { credentials: 'same-origin' });
      if (!res.ok) return null;
      return await this.ctx.decodeAudioData(await res.arrayBuffer());
    } catch {
      return null;
    }
  }

  private async drain(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    try {
      for (let next = this.take(); next !== null; next = this.take()) {
        this.opts.onStart(next.a);
        this.opts.onDone(next.a, await this.speak(next));
      }
    } finally {
      this.isRunning = false;
    }
  }

  private take(): Pending | null {
    const next = this.pending;
    this.pending = null;
    return next;
  }

  private async speak(p: Pending): Promise<AnnouncedHow> {
    const rate = this.opts.rate;
    if (!this.canPlay) {
      // Sound is locked (no tap yet, no autoplay flag): the call is on screen; keep the pace.
      await sleep(1500 / rate);
      return 'muted';
    }
    const clips = await p.clips;
    let how: AnnouncedHow = 'voice';
    await chime(this.ctx, rate);
    for (const [i, lang] of p.languages.entries()) {
      if (i > 0 && this.pending !== null) break; // a newer call waits: it matters more than a translation of this one
      const clip = clips[i];
      if (clip !== null && clip !== undefined) await play(this.ctx, clip, rate);
      else {
        how = 'fallback';
        await speakFallback(lang, p.a.number, p.a.counter, rate);
      }
    }
    return how;
  }
}
