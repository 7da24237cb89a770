import { randomBytes } from 'node:crypto';

/** `20261125T053240Z-1a2b3c4d`: sorts by start time, unique by its random tail. */
const ID_RE = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

export function newOperationId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** Ids name files: anything else (a path, `..`) is refused before it touches the disk. */
export function isOperationId(id: string): boolean {
  return ID_RE.test(id);
}
