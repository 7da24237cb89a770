import { ExitCode, type ErrorCode } from '../core/errors.js';

/** Exit status of a run that stopped on a run-level error. */
export function exitCodeFor(code: ErrorCode | string): number {
  switch (code) {
    case 'USAGE':
      return ExitCode.USAGE;
    case 'INPUT_NOT_FOUND':
    case 'READ_FAILED':
      return ExitCode.INPUT;
    case 'CONFIG_INVALID':
    case 'KEY_INVALID':
    case 'STORE_URI_INVALID':
    case 'STORE_FILTER_INVALID':
      return ExitCode.CONFIG;
    case 'WRITE_FAILED':
    case 'OUTPUT_EXISTS':
    case 'STORE_UNAVAILABLE':
    case 'STORE_REJECTED':
    case 'STORE_BAD_RESPONSE':
    case 'STORE_UNAUTHORIZED':
    case 'STORE_FORBIDDEN':
      return ExitCode.OUTPUT;
    default:
      return ExitCode.INTERNAL;
  }
}
