// Bundles the compiled CLI (dist/cli/main.js) and the DICOM and FHIR workers into
// dist/bundle with esbuild, for bin/deid.js to load instead of dist/: one file
// per lazily imported command (code splitting keeps the lazy imports lazy)
// instead of a few hundred ES modules to resolve and link at every start (see
// ARCHITECTURE.md). Run by `npm run build` after tsc. npm packages stay
// outside the bundle and load from node_modules (several read data files of
// their own; pino starts its transports from file paths), except these, plain
// code measured to cost most when loaded as packages:
// - commander, which every command loads: it is CommonJS, which Node loads
//   through its CommonJS loader and scans for exports at every start;
// - zod, yaml and stream-json: as packages, ~180 modules to resolve (importing
//   zod alone took 0.2 s of CPU, yaml 0.12 s, stream-json 0.08 s, Node's own
//   start 0.06 s); bundled, they sit in the chunks of the config parser and the
//   JSON document reader, which load only when a run needs them.
// Their `require`s of Node built-ins go through the `require` the banner
// defines (an ES module has none), so no module of deid may declare a
// top-level `require` of its own.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

// commander requires node:child_process at load, for executable subcommands,
// which deid does not have; loading it compiles child_process, net and dgram
// at every start. Inside commander it becomes a module that loads it on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'deid-lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'deid-lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

const BUNDLED = ['commander', 'zod', 'yaml', 'stream-json'];
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/cli/main.js', 'dicom-worker': 'dist/pipeline/dicom-worker.js', 'fhir-worker': 'dist/pipeline/fhir-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((name) => !BUNDLED.includes(name)),
  banner: { js: "import { createRequire as __deidCreateRequire } from 'node:module';\nconst require = __deidCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
