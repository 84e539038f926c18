/**
 * The small state auto mode keeps in the stack's status between passes (a Lambda remembers nothing):
 * the tier it last asked for, when that last changed, the last observed mean Lambda duration (on
 * Fargate, Lambda is idle and reports none), and the recent decisions and transitions, bounded.
 */
import type { Tier } from '../../spec/types';
import type { StackStatus } from '../state/types';

export interface AutoDecisionRecord {
  minute: number;
  tier: Tier;
  reason: string;
}

export interface AutoTransitionRecord {
  minute: number;
  from: Tier;
  to: Tier;
  reason: string;
  /**
   * Set when a pinned mode (`mode: fargate` or `lambda`) made the move, not auto mode: auto mode, back on,
   * must not speak of the rate the move was for (there was none).
   */
  pinnedBy?: Tier;
}

export interface AutoHistory {
  /** The tier auto mode (or a pinned mode) last asked for. */
  tier?: Tier;
  /** Whole minutes since the epoch of the last change of `tier`. */
  lastTransitionMinute?: number;
  meanDurationMs?: number;
  /** Newest last, at most MAX_RECENT_DECISIONS. */
  decisions: AutoDecisionRecord[];
  /** Newest last, at most MAX_RECENT_TRANSITIONS. */
  transitions: AutoTransitionRecord[];
}

export const MAX_RECENT_DECISIONS = 20;
export const MAX_RECENT_TRANSITIONS = 10;
/** The status field that holds the history (StackStatus.autoScaling). */
export const AUTO_HISTORY_FIELD = 'autoScaling';

export const emptyHistory = (): AutoHistory => ({ decisions: [], transitions: [] });

const isTier = (value: unknown): value is Tier => value === 'lambda' || value === 'fargate';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function isDecision(value: unknown): value is AutoDecisionRecord {
  const v = value as AutoDecisionRecord | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    isNumber(v.minute) &&
    isTier(v.tier) &&
    typeof v.reason === 'string'
  );
}

function isTransition(value: unknown): value is AutoTransitionRecord {
  const v = value as AutoTransitionRecord | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    isNumber(v.minute) &&
    isTier(v.from) &&
    isTier(v.to) &&
    typeof v.reason === 'string'
  );
}

/** A transition with only its own fields, `pinnedBy` only when it names a mode that pins. */
function ownTransition(t: AutoTransitionRecord): AutoTransitionRecord {
  const { minute, from, to, reason, pinnedBy } = t;
  return { minute, from, to, reason, ...(isTier(pinnedBy) ? { pinnedBy } : {}) };
}

/**
 * The history stored in a status, or an empty one. The status may have been edited by hand, so every
 * field is checked and anything malformed is dropped rather than trusted.
 */
export function readAutoHistory(status: StackStatus | undefined): AutoHistory {
  const raw = status?.[AUTO_HISTORY_FIELD] as Partial<Record<keyof AutoHistory, unknown>> | undefined;
  if (typeof raw !== 'object' || raw === null) return emptyHistory();
  return {
    ...(isTier(raw.tier) ? { tier: raw.tier } : {}),
    ...(isNumber(raw.lastTransitionMinute) ? { lastTransitionMinute: raw.lastTransitionMinute } : {}),
    ...(isNumber(raw.meanDurationMs) && raw.meanDurationMs > 0 ? { meanDurationMs: raw.meanDurationMs } : {}),
    decisions: Array.isArray(raw.decisions)
      ? raw.decisions.filter(isDecision).slice(-MAX_RECENT_DECISIONS)
      : [],
    transitions: Array.isArray(raw.transitions)
      ? raw.transitions.filter(isTransition).slice(-MAX_RECENT_TRANSITIONS).map(ownTransition)
      : [],
  };
}

/**
 * The history after deciding `tier` at `minute`; a change of tier is recorded as a transition, with the
 * pinned mode that made it (`pinnedBy`) when one did.
 */
export function recordDecision(
  history: AutoHistory,
  decision: {
    minute: number;
    tier: Tier;
    reason: string;
    from: Tier;
    meanDurationMs?: number;
    pinnedBy?: Tier;
  },
): AutoHistory {
  const { minute, tier, reason, from, pinnedBy } = decision;
  const transition = tier !== from;
  return {
    tier,
    ...(transition
      ? { lastTransitionMinute: minute }
      : history.lastTransitionMinute !== undefined
        ? { lastTransitionMinute: history.lastTransitionMinute }
        : {}),
    ...(decision.meanDurationMs !== undefined
      ? { meanDurationMs: decision.meanDurationMs }
      : history.meanDurationMs !== undefined
        ? { meanDurationMs: history.meanDurationMs }
        : {}),
    decisions: [...history.decisions, { minute, tier, reason }].slice(-MAX_RECENT_DECISIONS),
    transitions: transition
      ? [...history.transitions, { minute, from, to: tier, reason, ...(pinnedBy ? { pinnedBy } : {}) }].slice(
          -MAX_RECENT_TRANSITIONS,
        )
      : history.transitions,
  };
}
