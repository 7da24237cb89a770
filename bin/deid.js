#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`deid: internal error: ${err && err.code ? err.code : 'E_INTERNAL'}\n`);
    process.exitCode = 70;
  },
);
