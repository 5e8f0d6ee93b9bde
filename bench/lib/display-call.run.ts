import { displayCallP99 } from './display-call.ts';

// Temporary runner until the `pages` scenario calls displayCallP99: `node --import tsx bench/lib/display-call.run.ts`.
process.stdout.write(`BENCH pages.display_call_ms_p99 ${(await displayCallP99()).toFixed(1)} ms\n`);
