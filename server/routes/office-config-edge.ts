import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { mayConfigure } from '../../core/config/access.ts';
import { changeConfig, type ChangeOutcome } from '../../core/config/change.ts';
import type { ConfigPatchData, OfficeConfigData } from '../../core/config/model.ts';
import type { ConfigStore } from '../../core/config/ports.ts';
import type { ConfigSectionName } from '../../core/config/sections.ts';
import type { Result } from '../../core/shared/result.ts';
import type { ConfigChangeResponse, OfficeConfig } from '../../contracts/office-config.ts';
import type { ServerDeps } from '../deps.ts';
import { requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';

/**
 * What every configuration route shares: who may read, how a change runs for the caller (the
 * core use case, then the event fanned out) and how it is answered.
 */

/** Logos travel as base64 (a screen logo up to 64 KiB): these routes alone take bigger bodies. */
export const CONFIG_BODY_LIMIT = 512 * 1024;

export interface ConfigEdge {
  store: ConfigStore;
  /** The signed-in staff member allowed to read the office's configuration (else FORBIDDEN). */
  reader(req: FastifyRequest, officeId: string): { id: string; role: string; officeId: string };
  /** Runs a change for the caller and answers as ConfigChangeResponse. */
  change(req: FastifyRequest, officeId: string, build: (current: OfficeConfigData) => Result<ConfigPatchData>): Promise<z.infer<typeof ConfigChangeResponse>>;
}

export const isPreview = (q: unknown): boolean => {
  const v = (q as { preview?: string } | undefined)?.preview;
  return v === '1' || v === 'true';
};

export function answer(o: ChangeOutcome): z.infer<typeof ConfigChangeResponse> {
  return {
    applied: o.applied,
    changeId: o.changeId,
    sections: o.sections,
    changes: o.changes,
    affectedBookings: o.affectedBookings,
    config: o.config as z.infer<typeof OfficeConfig>,
  };
}

/** The sections a configuration route is about, by the segment after the office in its path (the whole config: none, its patch says). */
const ROUTE_SECTIONS: Readonly<Record<string, readonly ConfigSectionName[]>> = {
  '': ['office'],
  hours: ['hours'],
  calendar: ['calendar'],
  fairness: ['fairness'],
  alerts: ['alerts'],
  logos: ['logos'],
  order: ['departments', 'services', 'counters'],
  departments: ['departments'],
  services: ['services'],
  counters: ['counters'],
};

function routeSections(req: FastifyRequest): readonly ConfigSectionName[] | undefined {
  const segment = /\/offices\/:officeId(?:\/([a-z-]+))?/.exec(req.routeOptions.url ?? '')?.[1] ?? '';
  return ROUTE_SECTIONS[segment];
}

const addressed = (sections: readonly ConfigSectionName[] | undefined): { addresses?: readonly ConfigSectionName[] } => (sections === undefined ? {} : { addresses: sections });

export function configEdge(store: ConfigStore, deps: ServerDeps): ConfigEdge {
  const reader: ConfigEdge['reader'] = (req, officeId) => {
    const user = requireUser(req.identity);
    if (!mayConfigure(user, officeId, 'read')) throw new ApiError('FORBIDDEN');
    return user;
  };
  return {
    store,
    reader,
    async change(req, officeId, build) {
      const user = reader(req, officeId);
      const r = await changeConfig(
        { config: store },
        {
          officeId,
          build,
          preview: isPreview(req.query),
          userId: user.id,
          via: 'api',
          allowed: (sections) => mayConfigure(user, officeId, sections),
          ...addressed(routeSections(req)),
          now: deps.clock.now(),
        },
      );
      if (!r.ok) throw ApiError.from(r.error);
      if (r.value.event !== null) req.server.broadcast([r.value.event]);
      return answer(r.value);
    },
  };
}

