import type { SpecError } from './types';

/**
 * One line per error, `<path>: <message>`, for the CLI and the `SpecValid` condition. An error on
 * the document itself (path '') reads `(document): <message>`.
 *
 * @example
 * formatSpecErrors([{ path: 'fargate.memoryMb', message: 'must be at least 512' }]); // ['fargate.memoryMb: must be at least 512']
 */
export function formatSpecErrors(errors: readonly SpecError[]): string[] {
  return errors.map((e) => `${e.path === '' ? '(document)' : e.path}: ${e.message}`);
}
