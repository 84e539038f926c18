/**
 * State of the simulated Route 53: hosted zones with their record sets, submitted changes, and for each
 * record name the history of answers the authoritative servers gave, which the resolver model reads.
 */

export interface AliasTarget {
  HostedZoneId: string;
  DNSName: string;
  EvaluateTargetHealth: boolean;
}

/** A record set as Route 53 returns it (names fully qualified, lower case, with the trailing dot). */
export interface RecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Weight?: number;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: AliasTarget;
}

/** One record of an answer: where it sends resolvers and with what weight. */
export interface AnswerEntry {
  setIdentifier?: string;
  /** Undefined for a simple (non-weighted) record. */
  weight?: number;
  /** The alias target's DNS name, or the record's values joined by commas. */
  target: string;
  alias: boolean;
}

/** The authoritative answer for one name and type from `effectiveAt` (the change's INSYNC time) on. */
export interface AnswerEpoch {
  effectiveAt: number;
  /** TTL resolvers cache this answer for; an alias record takes the target's TTL, 60 s here. */
  ttlSeconds: number;
  entries: AnswerEntry[];
}

export interface HostedZone {
  id: string;
  name: string;
  callerReference: string;
  createdAt: number;
  records: RecordSet[];
  /** By `name|type`: answers in the order they took effect (older settled ones are pruned). */
  answers: Record<string, AnswerEpoch[]>;
}

export interface ChangeRecord {
  id: string;
  zoneId: string;
  submittedAt: number;
  /**
   * Route 53 is processing the change until then: another change on the zone meets PriorRequestNotComplete.
   * Absent in a state saved before it was kept: `submittedAt` + the configured processing time.
   */
  processedAt?: number;
  /** PENDING until then; computed rather than stored so no refresh is needed. */
  insyncAt: number;
  comment?: string;
}

/**
 * When a change on a zone refuses the next one with PriorRequestNotComplete:
 * - `while-processing`, as AWS documents it: while Route 53 is still processing the prior request, a short
 *   time after it accepted it (`processingMs`); the prior change goes on propagating (PENDING) meanwhile,
 *   and several changes of one zone may be PENDING at once.
 * - `until-insync`, an adversary: until the prior change is INSYNC, so a zone takes one change a minute.
 *   Real Route 53 may answer PriorRequestNotComplete more often than it documents; the reconciler must be
 *   correct, if slower, under this too.
 */
export type PriorRequestModel = 'while-processing' | 'until-insync';

export interface Route53Config {
  /** PENDING → INSYNC: "within 60 seconds under normal conditions" (Route 53 FAQ, GetChange). */
  insyncDelayMs: number;
  /**
   * How long Route 53 is "processing" a change it accepted. AWS gives no figure: a setting of the
   * simulator, not a fact (docs/aws-facts.md). Its default is longer than one call, so that two
   * changes of one pass, or of two stacks in the same zone at the same instant, meet the error.
   */
  processingMs: number;
  priorRequestNotComplete: PriorRequestModel;
  /**
   * An adversary, 0 by default: GetChange answers NoSuchChange for a change until this long after Route 53
   * accepted it, as an eventually consistent read might. AWS documents NoSuchChange only as "A change with
   * the specified change ID does not exist", and neither such a lag nor its absence.
   */
  getChangeLagMs: number;
}

export interface Route53State {
  config: Route53Config;
  zones: Record<string, HostedZone>;
  changes: Record<string, ChangeRecord>;
}

export const DEFAULT_ROUTE53_CONFIG: Route53Config = {
  insyncDelayMs: 60_000,
  processingMs: 2_000,
  priorRequestNotComplete: 'while-processing',
  getChangeLagMs: 0,
};

/** Alias records have no TTL of their own; resolvers use the target's (ALB and API Gateway: 60 s). */
export const ALIAS_TTL_SECONDS = 60;
