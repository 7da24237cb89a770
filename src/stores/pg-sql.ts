import { StoreError } from './codes.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PgTableName {
  schema?: string;
  table: string;
}

/** `?schema=&table=` of a postgres store URI (table defaults to fhir_resources). */
export function tableFromUrl(u: URL): PgTableName {
  const table = u.searchParams.get('table') ?? 'fhir_resources';
  const schema = u.searchParams.get('schema') ?? undefined;
  if (!IDENT.test(table)) throw new StoreError('STORE_URI_INVALID', 'table must be a plain SQL identifier');
  if (schema !== undefined && !IDENT.test(schema)) throw new StoreError('STORE_URI_INVALID', 'schema must be a plain SQL identifier');
  return schema ? { schema, table } : { table };
}

const q = (ident: string): string => `"${ident}"`;

export function qualified(t: PgTableName): string {
  return t.schema ? `${q(t.schema)}.${q(t.table)}` : q(t.table);
}

/** Keys sort by code point ("C" collation) whatever the database locale, so keyset paging is stable. */
export function createTableSql(t: PgTableName): string[] {
  const sql: string[] = [];
  if (t.schema) sql.push(`CREATE SCHEMA IF NOT EXISTS ${q(t.schema)}`);
  sql.push(
    `CREATE TABLE IF NOT EXISTS ${qualified(t)} (
      resource_type text COLLATE "C" NOT NULL,
      id text COLLATE "C" NOT NULL,
      version int NOT NULL DEFAULT 1,
      last_updated timestamptz NOT NULL DEFAULT now(),
      body jsonb NOT NULL,
      PRIMARY KEY (resource_type, id))`,
  );
  return sql;
}

export const STAGE_SQL = `CREATE TEMP TABLE deid_stage (seq int, resource_type text, id text, body jsonb) ON COMMIT DROP`;
export const COPY_SQL = `COPY deid_stage (seq, resource_type, id, body) FROM STDIN`;

/** Upsert by (type, id); within a batch the last record of a key wins. */
export function upsertSql(t: PgTableName): string {
  return `INSERT INTO ${qualified(t)} AS t (resource_type, id, version, last_updated, body)
    SELECT DISTINCT ON (resource_type, id) resource_type, id, 1, now(), body
    FROM deid_stage ORDER BY resource_type, id, seq DESC
    ON CONFLICT (resource_type, id) DO UPDATE
    SET version = t.version + 1, last_updated = EXCLUDED.last_updated, body = EXCLUDED.body`;
}

/** One COPY text-format line; type and id are validated FHIR names, the body is JSON text. */
export function copyLine(seq: number, type: string, id: string, body: string): string {
  // JSON.stringify escapes control characters, so only the backslash needs escaping for COPY text format
  return `${seq}\t${type}\t${id}\t${body.replace(/\\/g, '\\\\')}\n`;
}

/** Resources per type modified at or after $1 (the store's own clock, which stamps last_updated). */
export function modifiedSinceSql(t: PgTableName): string {
  return `SELECT resource_type, count(*)::int AS n FROM ${qualified(t)} WHERE last_updated >= $1::timestamptz GROUP BY resource_type`;
}

export function pageSql(t: PgTableName): string {
  return `SELECT resource_type, id, body::text AS body FROM ${qualified(t)}
    WHERE ($1::text IS NULL OR (resource_type, id) > ($1::text, $2::text))
      AND ($3::timestamptz IS NULL OR last_updated <= $3::timestamptz)
      AND ($5::text[] IS NULL OR resource_type = ANY($5::text[]))
    ORDER BY resource_type, id LIMIT $4`;
}

export function byKeysSql(t: PgTableName): string {
  return `SELECT resource_type, id, body::text AS body, last_updated <= coalesce($3::timestamptz, 'infinity') AS keep
    FROM ${qualified(t)} WHERE (resource_type, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
    ORDER BY resource_type, id`;
}
