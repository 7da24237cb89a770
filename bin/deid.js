#!/usr/bin/env node
import { limitHeapGrowth } from '../dist/cli/heap-limits.js';
import { main } from '../dist/cli/main.js';

limitHeapGrowth();
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`deid: internal error: ${err && err.code ? err.code : 'E_INTERNAL'}\n`);
    process.exitCode = 70;
  },
);
