/**
 * One reading of a stack's record for people: where traffic goes, the URLs, what the stack waits for,
 * what is wrong, its resources with their state, and its events in words. `lambdaflex status`, `events`,
 * `reconcile` and the sandbox's dashboard all show the record through these functions, so that they agree
 * in every state (no DNS, deleting, deleted, a terminal error, unhealthy targets). Pure.
 */
import { oneLine } from './terminal-text';
import { DEAD_LETTERED } from '../reconciler/dispatch/due';
import type { StepOutcome } from '../reconciler/engine/types';
import { RESOURCE_KEYS } from '../reconciler/resources/keys';
import { UNREADABLE_MARK_REASON, unreadableMarkHold } from '../reconciler/state/deletion-mark';
import type { StackEvent, StackRecord } from '../reconciler/state/types';
import { causeWords, waitingStepWords } from './step-words';

/** The phase as people read it: a stack whose record is gone after a delete is `Deleted`. */
export function phaseName(record: StackRecord | undefined, opts: { deleted?: boolean } = {}): string {
  if (!record) return opts.deleted ? 'Deleted' : 'NoRecord';
  return record.status?.phase ?? 'Pending';
}

/**
 * What follows the phase: a deletion requested, or a stack held by a `deletionRequestedAt` that is no time
 * (reconciler/state/deletion-mark.ts), which is none.
 */
export function deletionNote(record: StackRecord): string {
  if (record.deletionRequestedAt !== undefined) return ' (deletion requested)';
  if (record.unreadableDeletionMark !== undefined) return ' (held: its deletionRequestedAt is no time)';
  return '';
}

/** Where requests go. */
export type TrafficView =
  /** The Route 53 weights of the stack's name, as the reconciler last observed them (percent). */
  | { kind: 'weighted'; recordName: string; lambda: number; fargate: number }
  /** No custom domain: there is no weight to move; each tier answers on its own URL. */
  | { kind: 'no-dns'; intended: 'lambda' | 'fargate' | 'both' }
  /** Nothing serves (no record, or not reconciled yet). */
  | { kind: 'none'; why: string };

interface DnsSpec {
  recordName?: unknown;
  certificateArn?: unknown;
}

function dnsOf(record: StackRecord): DnsSpec | undefined {
  const dns = (record.spec as { dns?: unknown }).dns;
  return dns && typeof dns === 'object' ? (dns as DnsSpec) : undefined;
}

export function trafficView(record: StackRecord | undefined): TrafficView {
  if (!record) return { kind: 'none', why: 'the stack has no record' };
  const status = record.status;
  if (!status?.traffic) return { kind: 'none', why: 'not reconciled yet' };
  const dns = dnsOf(record);
  if (typeof dns?.recordName === 'string') {
    return {
      kind: 'weighted',
      recordName: dns.recordName,
      lambda: status.traffic.lambda,
      fargate: status.traffic.fargate,
    };
  }
  const { lambda, fargate } = status.traffic;
  return { kind: 'no-dns', intended: fargate === 0 ? 'lambda' : lambda === 0 ? 'fargate' : 'both' };
}

/** One line: "Lambda 20 % · Fargate 80 % (Route 53 weights of api.example.com)". */
export function trafficLine(view: TrafficView): string {
  if (view.kind === 'weighted')
    return `Lambda ${view.lambda} % · Fargate ${view.fargate} % (Route 53 weights of ${view.recordName})`;
  if (view.kind === 'none') return `none (${view.why})`;
  const tier = { lambda: 'Lambda', fargate: 'Fargate', both: 'Lambda and Fargate' }[view.intended];
  return `no custom domain, so no weights to move: clients reach each tier at its own URL (the stack serves from ${tier})`;
}

export interface StackUrls {
  /** The custom domain, weighted between the tiers. */
  custom?: string;
  /** The HTTP API's own URL (the Lambda tier). */
  lambda?: string;
  /** The ALB's URL, while the Fargate tier exists. */
  fargate?: string;
}

export function urlsOf(record: StackRecord | undefined): StackUrls {
  if (!record) return {};
  const dns = dnsOf(record);
  const urls = record.status?.urls ?? {};
  const scheme = typeof dns?.certificateArn === 'string' ? 'https' : 'http';
  return {
    ...(typeof dns?.recordName === 'string' ? { custom: `${scheme}://${dns.recordName}` } : {}),
    ...(urls.lambda ? { lambda: urls.lambda } : {}),
    ...(urls.fargate ? { fargate: urls.fargate } : {}),
  };
}

/**
 * AWS refusals that are the normal course of a teardown or a change, not faults (docs/aws-facts.md,
 * "Deletion order"): each with what AWS is still doing. The ENIs of a deleted ALB or of stopped tasks
 * linger for minutes and hold security groups, subnets, the internet gateway and the VPC; Route 53 refuses
 * a zone's next change while it still processes the last; a target group is in use until its listener is gone.
 */
const EXPECTED_WAITS: [RegExp, string][] = [
  [
    /DependencyViolation|InvalidGroup\.InUse|has some mapped public address/,
    'AWS is still releasing network interfaces',
  ],
  [/PriorRequestNotComplete/, 'Route 53 is still processing a previous change to the zone'],
  [/ResourceInUse/, 'AWS still has the resource in use'],
];

/** Whether an AWS error message is one of the expected waits above. */
export function isExpectedWait(message: string): boolean {
  return EXPECTED_WAITS.some(([pattern]) => pattern.test(message));
}

/**
 * A stack's resource keys in one order whatever order a pass met them in: the order of the kinds'
 * table (the Lambda tier, then the Fargate tier from its network up), unknown keys after, by name.
 * The passes observe and act in parallel, so their order changes from one pass to the next; a list
 * read twice, or the same wait in two events, must not change with it.
 */
const KEY_ORDER: readonly string[] = Object.values(RESOURCE_KEYS);
export function byStackOrder(a: string, b: string): number {
  const rank = (key: string) => {
    const i = KEY_ORDER.indexOf(key);
    return i === -1 ? KEY_ORDER.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** "deleting AWS::EC2::Subnet (subnet-a): DependencyViolation: …" → the resource's key, when named. */
function keyOf(message: string): string | undefined {
  return /^[a-z]+ing [\w:]+ \(([^)]+)\)/.exec(message)?.[1];
}

/** What AWS is still doing, for one step's expected wait: "AWS is still releasing network interfaces (…)". */
export function expectedWait(message: string): string {
  const found = EXPECTED_WAITS.find(([pattern]) => pattern.test(message));
  const code = /\b(DependencyViolation|InvalidGroup\.InUse|PriorRequestNotComplete|ResourceInUse)\b/.exec(
    message,
  )?.[1];
  return `${found?.[1] ?? 'AWS is busy'} (${code ?? 'retried'}, retried)`;
}

/** The words for expected waits: what AWS is still doing, and which resources wait for it. */
function expectedWaitText(messages: string[]): string {
  return EXPECTED_WAITS.flatMap(([pattern, doing]) => {
    const matching = messages.filter((m) => pattern.test(m));
    if (matching.length === 0) return [];
    const keys = [...new Set(matching.map((m) => keyOf(m) ?? '?'))].sort(byStackOrder);
    const code = /\b(DependencyViolation|InvalidGroup\.InUse|PriorRequestNotComplete|ResourceInUse)\b/.exec(
      matching[0]!,
    )?.[1];
    return [
      `${doing}; ${keys.join(', ')} ${keys.length === 1 ? 'waits' : 'wait'} (${code ?? 'retried'}, retried)`,
    ];
  }).join('; ');
}

/** Steps of the last pass that wait on AWS or on time, apart from those blocked behind them. */
function rootWaits(record: StackRecord): { waits: string[]; expected: string[]; failures: string[] } {
  const plan = record.status?.lastPlan as { steps?: { id: string; outcome?: StepOutcome }[] } | undefined;
  const waits: string[] = [];
  const expected: string[] = [];
  const failures: string[] = [];
  for (const step of plan?.steps ?? []) {
    const o = step.outcome;
    if (!o) continue;
    if (o.status === 'waiting') waits.push(waitingStepWords(step.id, o.reason));
    else if (o.status === 'backoff') {
      if (isExpectedWait(o.reason)) expected.push(o.reason.replace(/^retrying after /, ''));
      else waits.push(waitingStepWords(step.id, o.reason));
    } else if (o.status === 'retryable') {
      if (isExpectedWait(o.message)) expected.push(o.message);
      else failures.push(o.message);
    } else if (o.status === 'terminal') failures.push(o.message);
  }
  return { waits, expected, failures };
}

/** Steps waiting on AWS named one by one; beyond, a count. */
const MAX_WAITS = 3;

/**
 * What the stack waits for now, one item each: the traffic engine's wait while between tiers (a shift
 * step and its health, the drain's time left), steps waiting on AWS, a teardown held by lingering
 * network interfaces, or else the next pass checking what this one applied. Empty when settled.
 */
export function waitingFor(record: StackRecord | undefined): string[] {
  const status = record?.status;
  if (!record || !status) return [];
  const between = status.phase !== 'Lambda' && status.phase !== 'Fargate';
  const ready = status.conditions.find((c) => c.type === 'Ready');
  if (!between && ready?.status === 'True') return [];
  const items: string[] = [];
  // What the traffic engine still waits for; a status from before it was published has only the reason.
  const traffic =
    status.trafficAwaiting ?? status.conditions.find((c) => c.type === 'TrafficOnFargate')?.message;
  if (traffic && between) items.push(causeWords(traffic));
  const { waits, expected } = rootWaits(record);
  items.push(...waits.slice(0, MAX_WAITS));
  if (waits.length > MAX_WAITS) items.push(`${waits.length - MAX_WAITS} more step(s) waiting`);
  if (expected.length > 0) items.push(expectedWaitText(expected));
  // In a settled phase with nothing waiting, a pass that just applied steps waits for the next to check
  // them (Ready's message says so): not settled, so not nothing.
  if (items.length === 0 && ready?.status === 'False' && ready.reason === 'Progressing')
    items.push(ready.message);
  return items;
}

/**
 * What is wrong and needs a person: a terminal error, an invalid spec, something not the stack's in the
 * way (a DNS name another stack owns), or a failure retried that is no expected wait.
 */
export function problemsOf(
  record: StackRecord | undefined,
  /** Names a lambdaflex command with the caller's global options (`--local`): no default to forget. */
  command: (rest: string) => string,
): string[] {
  const problems: string[] = [];
  // Read from the record itself: so it is said before the reconciler's next pass, and no longer after an edit.
  if (record?.unreadableDeletionMark !== undefined)
    problems.push(unreadableMarkHold(record.stack, record.unreadableDeletionMark, command));
  const status = record?.status;
  if (!status) return problems;
  const spec = status.conditions.find(
    (c) => c.type === 'SpecValid' && c.status === 'False' && c.reason !== UNREADABLE_MARK_REASON,
  );
  if (spec) problems.push(`the spec is invalid, so nothing changes until it is fixed: ${spec.message}`);
  const errors = status.conditions.find((c) => c.type === 'Errors');
  if (errors) {
    const unexpected = errors.message.split('; ').filter((m) => m.trim() !== '' && !isExpectedWait(m));
    if (errors.reason === 'Terminal') {
      problems.push(`stopped until the spec changes: ${unexpected.join('; ') || errors.message}`);
    } else if (unexpected.length > 0) {
      problems.push(`retrying: ${unexpected.join('; ')}`);
    }
  }
  const conflict = status.conditions.find((c) => c.type === 'Conflict' && c.status === 'True');
  if (conflict)
    problems.push(`left alone, not this stack's (looked at again every pass): ${conflict.message}`);
  const dead = status.conditions.find((c) => c.type === DEAD_LETTERED && c.status === 'True');
  if (dead) problems.push(`dead-lettered: ${dead.message}`);
  // A rollback matters until the stack moves on: it set the current phase, or came after it began.
  const rollback = status.lastRollback;
  if (rollback && status.phase !== 'Fargate' && (status.since === undefined || rollback.at >= status.since))
    problems.push(`traffic was rolled back to Lambda: ${rollback.reason}`);
  // Without dns, nothing moves back from an unhealthy Fargate tier: the clients that call it must move.
  const unhealthy = status.fargateUnhealthy;
  if (unhealthy) {
    const api = status.urls?.lambda ? ` (${status.urls.lambda})` : '';
    problems.push(
      `the Fargate tier is unhealthy (${unhealthy.reason}); no custom domain, so nothing moved back: ` +
        `clients calling the ALB's URL should call the API's URL${api} until its targets are healthy again`,
    );
  }
  return problems;
}

export interface ResourceLine {
  key: string;
  kind: string;
  id: string;
  /** What AWS says (`available`, `provisioning`, `ACTIVE`, …) or what the reconciler does to it (`creating`, `deleting`). */
  state: string;
}

/** The stack's resources with their state, those being created and deleted included. */
export function resourceLines(record: StackRecord | undefined): ResourceLine[] {
  const status = record?.status;
  if (!status) return [];
  const plan = status.lastPlan as { steps?: { id: string; outcome?: StepOutcome }[] } | undefined;
  const doing = new Map<string, string>();
  for (const step of plan?.steps ?? []) {
    const [action, key] = step.id.split(':') as [string, string];
    if (!key || step.outcome?.status === 'done') continue;
    if (action === 'create') doing.set(key, 'creating');
    else if (action === 'delete') doing.set(key, 'deleting');
    else if (action === 'update') doing.set(key, 'updating');
  }
  const lines: ResourceLine[] = Object.entries(status.resources)
    .filter(([, ref]) => !ref.kind.startsWith('LambdaFlex::'))
    .map(([key, ref]) => ({
      key,
      kind: ref.kind,
      id: ref.id,
      state: doing.get(key) ?? ref.state ?? 'exists',
    }));
  for (const [key, state] of doing) {
    if (state === 'creating' && !status.resources[key])
      lines.push({ key, kind: kindOfStep(plan, key), id: '-', state });
  }
  return lines.sort((a, b) => byStackOrder(a.key, b.key));
}

function kindOfStep(plan: { steps?: { id: string; type?: string }[] } | undefined, key: string): string {
  const step = plan?.steps?.find((s) => s.id.endsWith(`:${key}`)) as { type?: string } | undefined;
  return step?.type ?? '-';
}

export interface EventLine {
  at: number;
  /** Normal, Warning, or Progress for an expected wait. */
  type: 'Normal' | 'Warning' | 'Progress';
  reason: string;
  message: string;
  /** How many identical events in a row this line stands for. */
  count: number;
}

/**
 * Events in words: an expected wait of a teardown becomes a short progress line, and a run of identical
 * events one line with a count. Oldest first, as stored; the newest `limit` when given.
 */
export function eventLines(events: readonly StackEvent[], limit?: number): EventLine[] {
  const lines: EventLine[] = [];
  for (const event of events) {
    const expected = event.type === 'Warning' && isExpectedWait(event.message);
    const line: EventLine = expected
      ? {
          at: event.at,
          type: 'Progress',
          reason: 'Waiting',
          message: expectedWaitText(event.message.split('; ').filter(isExpectedWait)),
          count: 1,
        }
      : { at: event.at, type: event.type, reason: event.reason, message: event.message, count: 1 };
    const last = lines.at(-1);
    if (last && last.type === line.type && last.reason === line.reason && last.message === line.message) {
      last.count++;
      last.at = line.at;
    } else lines.push(line);
  }
  return limit === undefined ? lines : lines.slice(-limit);
}

/** "2026-01-01 00:06:55" */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function eventText(line: EventLine): string {
  return oneLine(`${line.reason}: ${line.message}${line.count > 1 ? ` (×${line.count})` : ''}`);
}
