#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../host/cli.ts');
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
