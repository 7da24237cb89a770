/** Node socket errors that mean "the server could not be reached or went away". */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * SQLSTATEs worth a retry on a fresh connection
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * class 08 connection exceptions, 57P01–57P03 shutdowns / not yet accepting,
 * 53300 too many connections, 40001 serialization failure, 40P01 deadlock.
 */
const RETRY_STATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

export function isTransientPgError(e: unknown): boolean {
  const code = codeOf(e);
  if (code && (NET_CODES.has(code) || RETRY_STATES.has(code) || code.startsWith('08'))) return true;
  // node-pg reports a dropped socket and a connect timeout without a code
  const msg = e instanceof Error ? e.message : '';
  return !code && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(msg);
}

/**
 * Errors caused by one record's content (class 22 data exceptions, e.g.
 * 22P05 for a \u0000 jsonb cannot hold; 54000 program limit): the batch is
 * split to find the record.
 */
export function isRecordPgError(e: unknown): boolean {
  const code = codeOf(e);
  return !!code && (code.startsWith('22') || code === '54000');
}

/** SQLSTATE (or errno code) for a failure's detail; never the message, which may quote data. */
export function pgCode(e: unknown): string {
  return codeOf(e) ?? 'error';
}

/** The server asked for a password and none was given (URL, $PGPASSWORD, password file). */
export class PgNoPasswordError extends Error {
  readonly code = 'no-password';
  constructor() {
    super('no password');
    this.name = 'PgNoPasswordError';
  }
}

/**
 * A failure's detail for messages: its SQLSTATE (28P01 is a wrong password,
 * 28000 a role the server does not let in), or that no password was found.
 * Never the error's message, which may quote data.
 */
export function pgDetail(e: unknown): string {
  if (e instanceof PgNoPasswordError) return 'the server asks for a password and none was given ($PGPASSWORD, $PGPASSFILE or ~/.pgpass)';
  return `SQLSTATE ${pgCode(e)}`;
}
