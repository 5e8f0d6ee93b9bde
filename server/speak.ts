import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../core/shared/model.ts';
import type { ServerDeps } from './deps.ts';
import { ApiError } from './errors.ts';

/**
 * Answers with the host's offline voice (espeak-ng) for a phrase built from the catalogues —
 * never free text from the caller. VOICE_UNAVAILABLE tells the page to use the browser's voice.
 */
export async function sendSpeech(deps: ServerDeps, req: FastifyRequest, reply: FastifyReply, lang: Language, text: string): Promise<FastifyReply> {
  if (deps.speech === undefined) throw new ApiError('VOICE_UNAVAILABLE');
  let wav: Uint8Array;
  try {
    wav = await deps.speech.wav(lang, text);
  } catch (err) {
    // The host lacks espeak-ng (or it failed).
    req.log.warn({ err }, 'speech synthesis failed');
    throw new ApiError('VOICE_UNAVAILABLE');
  }
  void reply.header('cache-control', 'private, max-age=86400').type('audio/wav');
  return reply.send(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength));
}
