import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/**
 * What the server does with one request instead of answering it properly:
 * - a status (with headers and body) answered at once;
 * - 'drop': the connection is closed before any answer;
 * - 'hang': nothing is ever answered;
 * - 'hang-mid-body' / 'cut-mid-body': the proper answer's headers and first
 *   half are sent, then nothing more / the connection is closed;
 * - { delayMs }: the proper answer, that late;
 * - { next }: the proper page with this next link instead of its own;
 * - { entries }: the proper page (its own next link) holding these resources
 *   instead (a page that repeats resources of another, as paging over
 *   changing data or an unstable sort order does).
 */
export type Misbehaviour =
  | { status: number; headers?: Record<string, string>; body?: string }
  | 'drop'
  | 'hang'
  | 'hang-mid-body'
  | 'cut-mid-body'
  | { delayMs: number }
  | { next: string | null }
  | { entries: Json[] }
  | undefined;

export interface Request {
  /** 1-based request number. */
  n: number;
  method: string;
  /** Path and query below the base (`/Patient?_count=10&_page=2`). */
  rel: string;
  type: string | undefined;
  /** 0-based page of a search. */
  page: number | undefined;
  /** The Authorization header sent, if any. */
  authorization?: string;
  /** The request body (a batch Bundle), once received. */
  body?: string;
}

export interface MisbehavingFhir {
  base: string;
  /** Every request seen, in order. */
  requests: Request[];
  /** Resources stored through batch Bundles, by `Type/id`. */
  stored: Map<string, Json>;
  /** Batch entries received, duplicates included. */
  puts: number;
  /** Attach to the server's lifetime. */
  close(): Promise<void>;
}

/**
 * A small FHIR server on node:http (127.0.0.1, ephemeral port, base /fhir)
 * that serves `resources` by type with `_count`/`_page` paging (and each by
 * `GET /Type/id`) and stores
 * batch Bundles of PUTs, answering each request as `misbehave` says.
 */
export async function startMisbehavingFhir(resources: Json[], misbehave: (r: Request) => Misbehaviour = () => undefined): Promise<MisbehavingFhir> {
  const byType = new Map<string, Json[]>();
  for (const r of resources) {
    const list = byType.get(String(r.resourceType)) ?? [];
    list.push(r);
    byType.set(String(r.resourceType), list);
  }
  const state = { base: '', puts: 0 };
  const requests: Request[] = [];
  const stored = new Map<string, Json>();
  const sockets = new Set<import('node:net').Socket>();

  function proper(req: Request, body: string | undefined, nextOverride?: string | null, entries?: Json[]): { status: number; text: string } {
    if (req.method === 'GET' && req.rel.startsWith('/metadata')) {
      return {
        status: 200,
        text: JSON.stringify({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server', resource: [...byType.keys()].sort().map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }] })) }] }),
      };
    }
    if (req.method === 'GET' && req.type !== undefined) {
      const u = new URL(req.rel, 'http://x');
      const count = Number(u.searchParams.get('_count') ?? 10);
      const page = req.page ?? 0;
      const all = byType.get(req.type) ?? [];
      const entry = (entries ?? all.slice(page * count, (page + 1) * count)).map((resource) => ({ fullUrl: `${state.base}/${req.type}/${String(resource.id)}`, resource, search: { mode: 'match' } }));
      const b: Json = { resourceType: 'Bundle', type: 'searchset', total: all.length, entry };
      const next = nextOverride !== undefined ? nextOverride : (page + 1) * count < all.length ? `${state.base}/${req.type}?_count=${count}&_page=${page + 1}` : null;
      if (next !== null) b.link = [{ relation: 'next', url: next }];
      return { status: 200, text: JSON.stringify(b) };
    }
    const read = req.method === 'GET' ? /^\/([A-Z][A-Za-z]+)\/([^/?]+)$/.exec(req.rel) : null;
    if (read) {
      const found = (byType.get(read[1]!) ?? []).find((r) => r.id === decodeURIComponent(read[2]!));
      if (found) return { status: 200, text: JSON.stringify(found) };
    }
    if (req.method === 'POST' && req.rel === '/') {
      const bundle = JSON.parse(body ?? '{}') as { entry?: Array<{ resource: Json; request: { url: string } }> };
      const entries = (bundle.entry ?? []).map((e) => {
        state.puts++;
        stored.set(e.request.url, e.resource);
        return { response: { status: '201 Created' } };
      });
      return { status: 200, text: JSON.stringify({ resourceType: 'Bundle', type: 'batch-response', entry: entries }) };
    }
    return { status: 404, text: '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}' };
  }

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const rel = (u.pathname.replace(/^\/fhir/, '') || '/') + u.search;
    const m = /^\/([A-Z][A-Za-z]+)$/.exec(u.pathname.replace(/^\/fhir/, ''));
    const type = m && m[1] !== 'metadata' ? m[1] : undefined;
    const page = type ? Number(u.searchParams.get('_page') ?? 0) : undefined;
    const r: Request = { n: requests.length + 1, method: req.method ?? 'GET', rel, type, page, ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}) };
    requests.push(r);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (chunks.length) r.body = Buffer.concat(chunks).toString('utf8');
      const how = misbehave(r);
      if (how === 'hang') return;
      if (how === 'drop') {
        req.socket.destroy();
        return;
      }
      if (how && typeof how === 'object' && 'status' in how) {
        res.writeHead(how.status, { 'content-type': 'application/fhir+json', ...how.headers });
        res.end(how.body ?? '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]}');
        return;
      }
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
      const out = proper(r, body, how && typeof how === 'object' && 'next' in how ? how.next : undefined, how && typeof how === 'object' && 'entries' in how ? how.entries : undefined);
      const send = () => {
        if (how === 'hang-mid-body' || how === 'cut-mid-body') {
          res.writeHead(out.status, { 'content-type': 'application/fhir+json', 'content-length': String(Buffer.byteLength(out.text)) });
          res.write(out.text.slice(0, Math.floor(out.text.length / 2)));
          if (how === 'cut-mid-body') setTimeout(() => req.socket.destroy(), 20);
          return;
        }
        res.writeHead(out.status, { 'content-type': 'application/fhir+json' });
        res.end(out.text);
      };
      if (how && typeof how === 'object' && 'delayMs' in how) setTimeout(send, how.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return {
    base: state.base,
    requests,
    stored,
    get puts() {
      return state.puts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
