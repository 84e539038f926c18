import type {
  Condition,
  Phase,
  ResourceRef,
  StackEvent,
  StackRecord,
  StackStatus,
} from '../../reconciler/state/types';
import type { Tier } from '../../spec/types';

/** How many events GET /stack-status shows; the record keeps up to MAX_EVENTS. */
export const RECENT_EVENTS = 20;

/** What GET /stack-status answers: the record's status, flattened for a reader, with the newest events first. */
export interface StackStatusView {
  stack: string;
  generation: number;
  /** The generation the reconciler last acted on; behind `generation` while a change is pending. */
  observedGeneration?: number;
  version: number;
  phase: Phase;
  tier?: Tier;
  traffic?: { lambda: number; fargate: number };
  conditions: Condition[];
  lastDecision?: { tier: Tier; reason: string; at: number };
  resources: Record<string, ResourceRef>;
  events: StackEvent[];
  lastPass?: StackStatus['lastPass'];
  deletionRequestedAt?: number;
}

/** A record the reconciler has not reached yet has no status: it reads as `Pending`. */
export function toStackStatusView(record: StackRecord): StackStatusView {
  const status = record.status;
  return {
    stack: record.stack,
    generation: record.generation,
    observedGeneration: status?.observedGeneration,
    version: record.version,
    phase: status?.phase ?? 'Pending',
    tier: status?.tier,
    traffic: status?.traffic,
    conditions: status?.conditions ?? [],
    lastDecision: status?.lastDecision,
    resources: status?.resources ?? {},
    events: record.events.slice(-RECENT_EVENTS).reverse(),
    lastPass: status?.lastPass,
    deletionRequestedAt: record.deletionRequestedAt,
  };
}

/**
 * What GET /stack-status answers without the API token: states and counts, and no text that AWS or the
 * reconciler wrote. Condition messages, events, the last decision and the resources (ARNs name the
 * account) can quote AWS's errors, role ARNs and account ids, which are not a stranger's to read.
 */
export interface PublicStackStatusView {
  stack: string;
  generation: number;
  observedGeneration?: number;
  phase: Phase;
  tier?: Tier;
  traffic?: { lambda: number; fargate: number };
  conditions: Pick<Condition, 'type' | 'status' | 'lastTransitionTime'>[];
  deletionRequestedAt?: number;
}

export function toPublicStackStatusView(record: StackRecord): PublicStackStatusView {
  const full = toStackStatusView(record);
  return {
    stack: full.stack,
    generation: full.generation,
    observedGeneration: full.observedGeneration,
    phase: full.phase,
    tier: full.tier,
    traffic: full.traffic,
    conditions: full.conditions.map(({ type, status, lastTransitionTime }) => ({
      type,
      status,
      lastTransitionTime,
    })),
    deletionRequestedAt: full.deletionRequestedAt,
  };
}
