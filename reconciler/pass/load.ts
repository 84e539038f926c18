/**
 * The pass's first stage: read the stack's record and validate its spec. Nothing is written here; an
 * invalid spec is written up by `persistInvalid` (safety rule 5: it changes nothing in AWS).
 */
import { validateSpec } from '../../spec';
import type { DesiredState } from '../../spec/types';
import type { TerminalState } from '../state/bookkeeping';
import type { StackRecord, StateStore } from '../state/types';

export type LoadedStack =
  | { kind: 'missing' }
  | { kind: 'invalid'; record: StackRecord; message: string }
  | {
      kind: 'valid';
      record: StackRecord;
      spec: DesiredState;
      deletionRequested: boolean;
      /** A terminal error of this generation: nothing is retried until the spec changes. */
      terminal?: TerminalState;
    };

export async function loadStack(store: Pick<StateStore, 'get'>, stack: string): Promise<LoadedStack> {
  const record = await store.get(stack);
  if (!record) return { kind: 'missing' };
  const validation = validateSpec(record.spec);
  if (!validation.ok) {
    const message = validation.errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ');
    return { kind: 'invalid', record, message };
  }
  const terminal = stickyTerminal(record);
  return {
    kind: 'valid',
    record,
    spec: validation.spec,
    deletionRequested: record.deletionRequestedAt !== undefined,
    ...(terminal ? { terminal } : {}),
  };
}

/**
 * docs/design.md "Errors": a terminal error is not retried until the spec changes (a new generation), nor
 * once the stack is to be deleted. The pass still watches the traffic, so that unhealthy Fargate targets
 * are rolled back from even then (safety rule 1).
 */
export function stickyTerminal(record: StackRecord): TerminalState | undefined {
  const previous = record.bookkeeping.terminal;
  return previous && previous.generation === record.generation && record.deletionRequestedAt === undefined
    ? previous
    : undefined;
}
