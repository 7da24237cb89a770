#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { capInlining } from '../dist/cli/compile-budget.js';
import { limitHeapGrowth } from '../dist/cli/heap-limits.js';

limitHeapGrowth();
// before the bundle is loaded, so that no function is optimized under V8's default
capInlining();
// The bundle `npm run build` makes (dist/bundle) starts faster than the ES modules in dist/.
const bundle = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`deid: internal error: ${err && err.code ? err.code : 'E_INTERNAL'}\n`);
    process.exitCode = 70;
  },
);
