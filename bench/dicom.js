// DICOM benchmark: `deid dicom` (default PS3.15 basic profile) against
// gdcmanon (GDCM's PS3.15 E.1 basic profile de-identifier, Debian
// libgdcm-tools) and a plain file copy, on the same inputs in the same run:
// - many small instances: copies of one CT, each with new SOP/Series UIDs;
// - one large native multi-frame instance (≥ 1 GiB of PixelData).
// Targets (issue): no slower than gdcmanon; peak RSS < 150 MB on the large file.
//
// gdcmanon's E.1.1 de-identify mode (-e) encrypts the attributes it replaces
// into an Encrypted Attributes Sequence and needs a certificate for that: a
// throwaway self-signed one is made with openssl in bench/tmp.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDicomCopies, makeDicomMultiframe } from './make-dicom.js';
import { measure } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const samples = path.resolve(root, '../shared/data/dicom-samples');
const tmp = path.join(root, 'bench/tmp');
const SMALL = path.join(samples, 'ts/CT1_UNC.explicit_little_endian.dcm');
const MULTIFRAME = path.join(samples, 'multiframe/CT0012.explicit_little_endian.dcm');
const TARGET_RSS_MB = 150;
/** Each tool runs this many times; the median time and the highest peak RSS are reported. */
const RUNS = 3;

const has = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

export async function benchDicom({ copies = 100, minMB = 1024 } = {}) {
  fs.mkdirSync(tmp, { recursive: true });
  const gdcm = has('gdcmanon', ['--version']) ? certificate() : undefined;

  const copiesDir = path.join(tmp, `dicom-copies-${copies}`);
  if (!fs.existsSync(copiesDir) || fs.readdirSync(copiesDir).length !== copies) {
    fs.rmSync(copiesDir, { recursive: true, force: true });
    makeDicomCopies(SMALL, copiesDir, copies);
  }
  const large = path.join(tmp, `dicom-multiframe-${minMB}mb.dcm`);
  if (!fs.existsSync(large)) {
    makeDicomMultiframe(MULTIFRAME, large, minMB * 1024 * 1024);
    // The generated file must read in an independent parser before it is used (+M: pixel data not loaded).
    if (has('dcmdump', ['--version']) && !has('dcmdump', ['-q', '+M', large])) {
      fs.rmSync(large, { force: true });
      throw new Error('generated multi-frame instance does not parse in dcmdump');
    }
  }

  const small = await runCase('copies', copiesDir, copies, true, gdcm);
  const big = await runCase('multiframe', large, 1, false, gdcm);
  const result = {
    copies: small,
    multiframe: big,
    gdcmanon: gdcm ? 'gdcmanon -e -c <throwaway self-signed cert> -i IN -o OUT (-r for a folder)' : 'not installed (apt-get install libgdcm-tools)',
    targets: { deidVsGdcmanon: '<= 1', multiframePeakRssMB: TARGET_RSS_MB },
  };
  result.pass =
    big.deid.peakRssMB < TARGET_RSS_MB &&
    (!gdcm || (small.ratios.deidVsGdcmanon <= 1 && big.ratios.deidVsGdcmanon <= 1));
  return result;
}

/** One input (a folder of instances or one file) through cp, gdcmanon and deid; outputs removed after each. */
async function runCase(name, input, files, isDir, gdcm) {
  const bytes = isDir ? fs.readdirSync(input).reduce((n, f) => n + fs.statSync(path.join(input, f)).size, 0) : fs.statSync(input).size;
  const mb = bytes / 1024 / 1024;
  const out = path.join(tmp, `dicom-out-${name}`);
  const clean = () => fs.rmSync(out, { recursive: true, force: true });
  // GNU time counts in hundredths: a faster run is taken as 0.01 s.
  const row = (tool, m) => ({
    name: `${tool} (${name})`,
    seconds: m.seconds,
    runs: m.runs.join(' '),
    MBps: +(mb / Math.max(m.seconds, 0.01)).toFixed(1),
    filesPerSec: +(files / Math.max(m.seconds, 0.01)).toFixed(1),
    peakRssMB: +m.peakMB.toFixed(0),
  });

  clean();
  // A first copy warms the page cache, so no tool pays for the first read from disk.
  spawnSync('cp', ['-r', input, out]);
  clean();
  const copy = await repeat(async () => {
    const m = await measure('cp', ['-r', input, out]);
    clean();
    return m;
  });

  // Node's own floor for a folder: start, read and write every file (bench/node-copy.js).
  const floor = isDir
    ? await repeat(async () => {
        const m = await measure(process.execPath, [path.join(root, 'bench/node-copy.js'), input, out]);
        clean();
        return m;
      })
    : undefined;

  let gdcmanon;
  if (gdcm) {
    gdcmanon = await repeat(async () => {
      if (isDir) fs.mkdirSync(out);
      const m = await measure('gdcmanon', ['-e', '-c', gdcm, '-i', input, '-o', isDir ? out : `${out}.dcm`, ...(isDir ? ['-r'] : [])]);
      const made = isDir ? countFiles(out) : Number(fs.existsSync(`${out}.dcm`));
      fs.rmSync(`${out}.dcm`, { force: true });
      clean();
      if (made !== files) throw new Error(`gdcmanon wrote ${made} of ${files} instances`);
      return m;
    });
  }

  const deid = await repeat(async () => {
    const m = await measure(process.execPath, [path.join(root, 'bin/deid.js'), 'dicom', input, '-o', out, '-q'], { DEID_KEY: '5a'.repeat(32) });
    const made = countFiles(out);
    clean();
    if (made !== files) throw new Error(`deid dicom wrote ${made} of ${files} instances`);
    return m;
  });

  const r = {
    input: { files, MB: +mb.toFixed(1) },
    copy: row('cp -r', copy),
    nodeFloor: floor ? row('node read+write only', floor) : null,
    gdcmanon: gdcmanon ? row('gdcmanon -e', gdcmanon) : null,
    deid: row('deid dicom (basic)', deid),
    ratios: {
      deidVsGdcmanon: gdcmanon ? +(deid.seconds / gdcmanon.seconds).toFixed(2) : null,
      deidVsCopy: +(deid.seconds / Math.max(copy.seconds, 0.01)).toFixed(1),
      nodeFloorVsGdcmanon: floor && gdcmanon ? +(floor.seconds / gdcmanon.seconds).toFixed(2) : null,
    },
  };
  return r;
}

/** RUNS runs of one measurement: the median wall time, the highest peak RSS. */
async function repeat(run) {
  const all = [];
  for (let i = 0; i < RUNS; i++) all.push(await run());
  const secs = all.map((m) => m.seconds).sort((a, b) => a - b);
  return { seconds: secs[Math.floor(secs.length / 2)], peakMB: Math.max(...all.map((m) => m.peakMB)), runs: secs };
}

function countFiles(dir) {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.dcm')) n++;
  return n;
}

/** A throwaway self-signed certificate for gdcmanon -e (its key is never used again). */
function certificate() {
  const cert = path.join(tmp, 'gdcmanon-cert.pem');
  const key = path.join(tmp, 'gdcmanon-key.pem');
  if (fs.existsSync(cert)) return cert;
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-subj', '/CN=deid-bench'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('openssl could not make a certificate for gdcmanon');
  return cert;
}
