/**
 * The pass's events: the spec it first acts on (or, of a stack being deleted, does not act on), phase
 * changes, new errors, rollbacks, and (without `dns`) the Fargate tier turning unhealthy; a repeated error
 * is not logged again.
 */
import { desiredStateSchema } from '../../spec';
import type { Mode } from '../../spec/types';
import type { StackEvent, StackStatus } from '../state/types';
import type { TrafficDecision } from '../traffic/shift';
import { IGNORED_WHILE_DELETING } from './deletion-spec';

export function eventsOf(
  before: StackStatus | undefined,
  after: StackStatus,
  now: number,
  traffic: Pick<TrafficDecision, 'rollback' | 'unhealthy'>,
  /** The spec's top-level fields that changed since the generation before (spec-fields.ts), if known. */
  specChanges?: readonly string[],
): StackEvent[] {
  const events: StackEvent[] = [];
  // A spec write by any writer (the CLI's apply, the service's PUT /desired-state, the sandbox's mode
  // buttons) is logged here, once, by the pass that first acts on it: the writers need no right to the
  // reconciler's events (the service's role has none), and all of them read alike.
  if (before && before.observedGeneration !== after.observedGeneration) {
    events.push({
      at: now,
      type: 'Normal',
      reason: 'SpecChanged',
      message: specChange(before, after, specChanges ?? []),
    });
  }
  // A stack being deleted whose record holds a spec it does not act on (pass/deletion-spec.ts): said once,
  // and again when that spec changes.
  const ignored = after.conditions.find((c) => c.type === 'SpecValid');
  if (
    ignored?.reason === IGNORED_WHILE_DELETING &&
    ignored.message !== before?.conditions.find((c) => c.type === 'SpecValid')?.message
  ) {
    events.push({ at: now, type: 'Warning', reason: 'SpecIgnored', message: ignored.message });
  }
  if (traffic.rollback) {
    events.push({
      at: now,
      type: 'Warning',
      reason: 'RolledBack',
      message: `traffic moved back to Lambda: ${traffic.rollback}`,
    });
  }
  if (traffic.unhealthy && traffic.unhealthy.since === now) {
    events.push({
      at: now,
      type: 'Warning',
      reason: 'FargateUnhealthy',
      message:
        `the Fargate tier turned unhealthy (${traffic.unhealthy.why}); no custom domain, so no traffic to ` +
        "move back: clients calling the ALB's URL should call the API's URL until its targets are healthy again",
    });
  }
  if (before?.phase !== after.phase) {
    events.push({
      at: now,
      type: 'Normal',
      reason: 'PhaseChanged',
      message: `${before?.phase ?? 'none'} → ${after.phase}: ${String(after.reason ?? '')}`,
    });
  }
  const errorsBefore = before?.conditions.find((c) => c.type === 'Errors')?.message;
  const errorsAfter = after.conditions.find((c) => c.type === 'Errors');
  if (errorsAfter && errorsAfter.message !== errorsBefore) {
    events.push({ at: now, type: 'Warning', reason: errorsAfter.reason, message: errorsAfter.message });
  }
  return events;
}

/**
 * "mode lambda → fargate; image changed (generation 2)": the mode against the one before (alone when the
 * status before kept none), then the other fields that changed, by name.
 */
function specChange(before: StackStatus, after: StackStatus, changes: readonly string[]): string {
  const from = modeOf(before);
  const to = modeOf(after);
  const mode =
    from === undefined || to === undefined
      ? `mode ${to ?? 'unknown'}`
      : from === to
        ? `mode ${to}, unchanged`
        : `mode ${from} → ${to}`;
  const others = changes.filter((field) => field !== 'mode');
  const changed = others.length > 0 ? `; ${others.join(', ')} changed` : '';
  return `${mode}${changed} (generation ${after.observedGeneration})`;
}

/** The modes a spec may name, as the schema lists them. */
const MODES: readonly unknown[] = desiredStateSchema.properties.mode.enum;

/** The status's mode when it is one (a status edited by hand may hold anything). */
function modeOf(status: StackStatus): Mode | undefined {
  return MODES.includes(status.mode) ? status.mode : undefined;
}
