import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestLike } from './test-like.js';

/**
 * A real Orthanc with the DICOMweb plugin for tests (Debian packages
 * `orthanc orthanc-dicomweb`): its own process, free loopback port,
 * temporary storage and generated configuration; never the system service.
 * Orthanc 1.10 has no bind-address option, so the HTTP port is closed to
 * other hosts with RemoteAccessAllowed=false, and the DICOM (DIMSE) server,
 * which the tests do not use, is disabled rather than left open.
 */
export interface TestOrthanc {
  /** http://127.0.0.1:port */
  http: string;
  /** dicomweb+http://127.0.0.1:port/dicom-web */
  uri: string;
  /** Temporary folder with the configuration and the storage (deleted by stop). */
  dir: string;
  /** Kills the server (SIGKILL, like a crash) and waits for it to exit; storage is kept. */
  kill(): Promise<void>;
  /** Starts it again on the same port and storage. */
  restart(): Promise<void>;
  /** Stops it and deletes its storage. */
  stop(): Promise<void>;
}

const PLUGIN = 'libOrthancDicomWeb.so';

export function findOrthanc(): { bin: string; plugin: string } | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];
  const bin = process.env.ORTHANC_BIN ?? dirs.filter(Boolean).map((d) => path.join(d, 'Orthanc')).find((p) => existsSync(p));
  if (!bin || !existsSync(bin)) return undefined;
  const plugin = [path.join('/usr/share/orthanc/plugins', PLUGIN), path.join('/usr/lib/orthanc', PLUGIN)].find((p) => existsSync(p))
    ?? versioned('/usr/lib/orthanc') ?? versioned('/usr/local/share/orthanc/plugins');
  return plugin ? { bin, plugin } : undefined;
}

function versioned(dir: string): string | undefined {
  try {
    const f = readdirSync(dir).filter((n) => n.startsWith(PLUGIN)).sort()[0];
    return f ? path.join(dir, f) : undefined;
  } catch {
    return undefined;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

async function waitUp(http: string, child: ChildProcess, log: string[], ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Orthanc exited during start-up (${child.exitCode ?? child.signalCode}):\n${log.slice(-20).join('\n')}`);
    }
    try {
      const r = await fetch(`${http}/system`, { signal: AbortSignal.timeout(1000) });
      await r.body?.cancel();
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Orthanc did not answer /system within ${ms} ms:\n${log.slice(-20).join('\n')}`);
}

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

export async function startOrthanc(): Promise<TestOrthanc> {
  const found = findOrthanc();
  if (!found) throw new Error('Orthanc or its DICOMweb plugin is not installed');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deid-orthanc-'));
  const storage = path.join(dir, 'db');
  let child: ChildProcess | undefined;
  let http = '';
  const log: string[] = [];

  const launch = async (port: number): Promise<void> => {
    const config = {
      Name: 'deid-test',
      StorageDirectory: storage,
      IndexDirectory: storage,
      HttpPort: port,
      DicomPort: await freePort(),
      DicomServerEnabled: false,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      SaveJobs: false,
      HttpThreadsCount: 8,
      Plugins: [found.plugin],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
    };
    const file = path.join(dir, 'orthanc.json');
    await writeFile(file, JSON.stringify(config, null, 2));
    http = `http://127.0.0.1:${port}`;
    child = spawn(found.bin, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const keep = (b: Buffer): void => {
      log.push(...b.toString('utf8').split('\n').filter(Boolean));
      if (log.length > 200) log.splice(0, log.length - 200);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await waitUp(http, child, log);
  };

  // Another process may take the port between probing and binding: try a few.
  let port = 0;
  for (let i = 0; ; i++) {
    port = await freePort();
    try {
      await launch(port);
      break;
    } catch (e) {
      await stopChild(child, 'SIGKILL');
      if (i >= 2) {
        await rm(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }

  return {
    http,
    uri: `dicomweb+${http}/dicom-web`,
    dir,
    kill: () => stopChild(child, 'SIGKILL'),
    restart: async () => {
      await stopChild(child, 'SIGKILL');
      await launch(port);
    },
    stop: async () => {
      await stopChild(child, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A started Orthanc that stops with the test, or undefined after marking the
 * test skipped with a loud line. Under CI=true a missing Orthanc fails the
 * test instead: CI must not pass by skipping.
 */
export async function requireOrthanc(t: TestLike): Promise<TestOrthanc | undefined> {
  if (!findOrthanc()) {
    const line = 'SKIP: no Orthanc (apt-get install orthanc orthanc-dicomweb)';
    if (process.env.CI === 'true') {
      t.fail(`${line} (CI=true: Orthanc is required)`);
      return undefined;
    }
    console.error(`\n*** ${line} ***\n`);
    t.comment(line);
    t.plan(0, line);
    return undefined;
  }
  const o = await startOrthanc();
  t.teardown(() => o.stop());
  return o;
}

/** What the proxy does with request n: pass it to Orthanc, answer itself, drop the connection, hang, or cut the answer's body (closing the connection, or leaving it open with nothing more). */
export type Fault = 'pass' | 'drop' | 'hang' | { cutAfter: number } | { stallAfter: number } | { status: number; headers?: Record<string, string>; body?: string };

export interface FaultProxy {
  uri: string;
  seen: string[];
  close(): Promise<void>;
}

/** A fault-injecting HTTP proxy in front of a real Orthanc (127.0.0.1, ephemeral port); `seen` lists the requests. */
export async function faultProxy(orthanc: TestOrthanc, script: (n: number, method: string, url: string, headers: http.IncomingHttpHeaders) => Fault): Promise<FaultProxy> {
  const seen: string[] = [];
  const upstream = new URL(orthanc.http);
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const f = script(seen.length, req.method ?? '', req.url ?? '', req.headers);
    if (f === 'drop') return void req.socket.destroy();
    if (f === 'hang') return;
    if (typeof f === 'object' && 'status' in f) {
      req.resume();
      res.writeHead(f.status, f.headers ?? {});
      return void res.end(f.body ?? '');
    }
    const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      if (f === 'pass') return void ur.pipe(res);
      const limit = 'cutAfter' in f ? f.cutAfter : f.stallAfter;
      let sent = 0;
      ur.on('data', (c: Buffer) => {
        if (sent >= limit) return;
        const part = c.subarray(0, limit - sent);
        sent += part.length;
        res.write(part);
        if (sent >= limit && 'cutAfter' in f) setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: `dicomweb+http://127.0.0.1:${port}/dicom-web`,
    seen,
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
