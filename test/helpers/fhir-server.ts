import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus } from '@medplum/core';
import { FhirRouter, MemoryRepository, type HttpMethod } from '@medplum/fhir-router';

/**
 * A real FHIR server for tests: @medplum/fhir-router over a MemoryRepository
 * behind node:http on 127.0.0.1 (ephemeral port), mounted at /fhir. The
 * router has no paging links or CapabilityStatement of its own, so this shell
 * adds `next` links (by _offset, which the router honours) and answers
 * /metadata with every R4 resource type.
 */
export interface TestFhirServer {
  base: string;
  repo: MemoryRepository;
  /** Requests seen so far (faults included). */
  requests: number;
  close(): Promise<void>;
}

/** Answer to send instead of the router's, for fault tests. */
export type Fault = { status: number; headers?: Record<string, string>; body?: string } | 'drop' | 'hang' | undefined;

export interface FhirServerOptions {
  /** Called with the 1-based request number; a fault is answered instead of routing. */
  fault?: (n: number, method: string, path: string) => Fault;
}

const r4Types = (JSON.parse(readFileSync(new URL('../../data/fhir/r4-elements.json', import.meta.url), 'utf8')) as { resourceTypes: string[] }).resourceTypes;

function capabilityStatement(): unknown {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{ mode: 'server', resource: r4Types.map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'update' }] })) }],
  };
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function addNextLink(body: Record<string, unknown>, base: string, rel: string): void {
  const u = new URL(rel, 'http://x');
  const count = Number(u.searchParams.get('_count') ?? 20);
  const offset = Number(u.searchParams.get('_offset') ?? 0);
  const got = Array.isArray(body.entry) ? body.entry.length : 0;
  if (typeof body.total === 'number' && got > 0 && offset + got < body.total) {
    u.searchParams.set('_offset', String(offset + count));
    body.link = [{ relation: 'next', url: `${base}${u.pathname}${u.search}` }];
  }
}

export async function startFhirServer(opts: FhirServerOptions = {}): Promise<TestFhirServer> {
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  const state = { requests: 0, base: '' };
  const server = http.createServer((req, res) => {
    const n = ++state.requests;
    const rel = (req.url ?? '/').replace(/^\/fhir/, '') || '/';
    const fault = opts.fault?.(n, req.method ?? 'GET', rel);
    if (fault === 'hang') return;
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault) {
      res.writeHead(fault.status, { 'content-type': 'application/fhir+json', ...fault.headers });
      res.end(fault.body ?? '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]}');
      return;
    }
    void (async () => {
      let status = 200;
      let out: unknown;
      if (rel.split('?')[0] === '/metadata') {
        out = capabilityStatement();
      } else {
        const body = await readBody(req);
        const [outcome, resource] = await router.handleRequest(
          { method: req.method as HttpMethod, url: rel, pathname: '', params: {}, query: {}, body, headers: req.headers },
          repo,
        );
        status = getStatus(outcome);
        out = resource ?? outcome;
        const b = out as Record<string, unknown>;
        if (b.resourceType === 'Bundle' && b.type === 'searchset') addNextLink(b, state.base, rel);
      }
      res.writeHead(status, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify(out));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.base = `http://127.0.0.1:${port}/fhir`;
  return {
    base: state.base,
    repo,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
