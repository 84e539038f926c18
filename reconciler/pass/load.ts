/**
 * The pass's first stage: read the stack's record and validate its spec. Nothing is written here; an
 * invalid spec is written up by `persistInvalid` (safety rule 5: it changes nothing in AWS). So is a
 * valid spec that names another stack than the record's key, and a record whose deletion mark is no time
 * (state/deletion-mark.ts): it deletes nothing, and holds the stack as an invalid spec does.
 *
 * A spec is invalid too when its `dns` names a hosted zone or record name the table's system record does
 * not allow (`bootstrap --hosted-zone`): `apply` refuses such a spec, but `PUT /desired-state` cannot read
 * the system record (a stack's role reaches only its own item) and a hand edit skips every check, so the
 * reconciler checks it before building anything (docs/security.md, "DNS only where it was given"). So is
 * a spec asking more than a ceiling of the system record's (state/ceilings.ts): a `lambda.reservedConcurrency`
 * over `bootstrap --max-reserved-concurrency`, or a Fargate tier (`fargate.maxTasks` tasks of
 * `fargate.cpu`) of more vCPUs than `bootstrap --max-fargate-vcpus` (docs/security.md, "Lambda
 * concurrency" and "Fargate vCPUs"), for the same reasons.
 *
 * A stack whose deletion was asked for is deleted from the spec it was last reconciled with, kept in its
 * bookkeeping, whatever its `spec` says since (pass/deletion-spec.ts): a spec written after the mark is
 * named in the status, never acted on, and holds nothing. Only its DNS is checked against the system
 * record (the policy would refuse the records' DELETE); a spec over a ceiling deletes as any.
 */
import { validateSpec } from '../../spec';
import type { DesiredState, SpecError } from '../../spec/types';
import type { ReconciledSpec, TerminalState } from '../state/bookkeeping';
import { UNREADABLE_MARK_REASON, unreadableMarkHold } from '../state/deletion-mark';
import { ceilingRefusals, ceilingsConcerning } from '../state/ceilings';
import { dnsRefusal, type SystemRecord } from '../state/system-record';
import type { StackRecord, StateStore } from '../state/types';
import { sameName, specName, type WrittenDnsName } from '../resources/route53/written-dns-names';
import { rememberedDnsNames } from './plan';
import { deletionSpec, type IgnoredSpec, type WrittenSpec } from './deletion-spec';

export type LoadedStack =
  | { kind: 'missing' }
  | {
      kind: 'invalid';
      record: StackRecord;
      message: string;
      /** The spec's problems the message names, field by field (none for a deletion mark that is no time). */
      problems: SpecError[];
      /** The condition's and the event's reason, when it is no spec's problem (SpecInvalid / Invalid). */
      reason?: typeof UNREADABLE_MARK_REASON;
    }
  | {
      kind: 'valid';
      record: StackRecord;
      spec: DesiredState;
      deletionRequested: boolean;
      /** A terminal error of this generation: nothing is retried until the spec changes. */
      terminal?: TerminalState;
      /** The spec acted on, as the bookkeeping keeps it (state/bookkeeping.ts `reconciledSpec`). */
      reconciledSpec: ReconciledSpec;
      /** A stack being deleted: the record's spec, when it is not the one deleted from. */
      ignoredSpec?: IgnoredSpec;
    };

/**
 * Reads the table's system record; read only for a spec with `dns` or asking something a ceiling could
 * refuse (needsSystemRecord), or a record with DNS names left to clean, at most once per pass.
 */
export type SystemRecordReader = () => Promise<SystemRecord | undefined>;

/** How advice names the lambdaflex command: `lambdaflex <rest>`, or `lambdaflex --local <rest>` locally. */
export type CommandNamer = (rest: string) => string;

export async function loadStack(
  store: Pick<StateStore, 'get'>,
  stack: string,
  systemRecord?: SystemRecordReader,
  command?: CommandNamer,
): Promise<LoadedStack> {
  const record = await store.get(stack);
  if (!record) return { kind: 'missing' };
  // Whether the stack is to be deleted is unknown: nothing of it may be built, changed or deleted.
  if (record.unreadableDeletionMark !== undefined) {
    const message = unreadableMarkHold(stack, record.unreadableDeletionMark, command);
    return { kind: 'invalid', record, message, problems: [], reason: UNREADABLE_MARK_REASON };
  }
  const written = writtenSpec(record);
  if (record.deletionRequestedAt !== undefined) return loadDeletion(record, written, systemRecord, command);
  if (!written.ok) return invalid(record, written.problems);
  if (systemRecord && needsSystemRecord(written.spec, record)) {
    const refused = systemRecordProblems(written.spec, await systemRecord(), command, record);
    if (refused.length > 0) return invalid(record, refused);
  }
  const terminal = stickyTerminal(record);
  return {
    kind: 'valid',
    record,
    spec: written.spec,
    deletionRequested: false,
    ...(terminal ? { terminal } : {}),
    reconciledSpec: { generation: record.generation, spec: written.spec },
  };
}

/** The record's `spec`, validated, and naming the record's stack. */
function writtenSpec(record: StackRecord): WrittenSpec {
  const validation = validateSpec(record.spec);
  if (!validation.ok) return { ok: false, problems: validation.errors };
  const another = namesAnotherStack(validation.spec, record);
  if (another) return { ok: false, problems: [{ path: 'stack', message: another }] };
  return validation;
}

/**
 * A stack whose deletion was asked for: deleted from the spec it was last reconciled with (the record's
 * own when none was kept), the record's `spec` ignored when it is another (pass/deletion-spec.ts). Held
 * only when there is none to delete from, or when the system record no longer allows its DNS names: the
 * policy refuses their records' DELETE, and forgetting them would leave them in the zone for good.
 */
async function loadDeletion(
  record: StackRecord,
  written: WrittenSpec,
  systemRecord: SystemRecordReader | undefined,
  command: CommandNamer | undefined,
): Promise<LoadedStack> {
  const chosen = deletionSpec(record, written);
  if (chosen.kind === 'none') return invalid(record, chosen.problems);
  const { spec } = chosen;
  if (systemRecord && checkedDnsNames(spec, record).length > 0) {
    const refused = refusedDns(spec, await systemRecord(), command, record);
    if (refused) return invalid(record, [asProblem(refused)]);
  }
  return {
    kind: 'valid',
    record,
    spec,
    deletionRequested: true,
    reconciledSpec: chosen.keep,
    ...(chosen.ignored ? { ignoredSpec: chosen.ignored } : {}),
  };
}

/** A spec not to be acted on: its problems, and the message that names them. */
function invalid(record: StackRecord, problems: SpecError[]): LoadedStack {
  return { kind: 'invalid', record, message: problemsMessage(problems), problems };
}

/** The message of an invalid spec's problems, as its `SpecValid` condition says it. */
export function problemsMessage(problems: readonly SpecError[]): string {
  return problems.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ');
}

/** What a refusal of the system record's holds, said after it. */
const HELD =
  '; until then nothing of the stack is created, changed or deleted (what exists is left as it is)';

/**
 * Whether a spec's pass must read the system record: its `dns` (or the names it wrote and no longer
 * wants) must be in the zones bootstrap was given, its reserved concurrency and its Fargate vCPUs under
 * the ceilings. A spec asking no more of a ceiling than the least bootstrap may set (no reservation, a
 * Fargate tier of 8 vCPUs or less, its rollout counted) is within it whatever the record says.
 */
export function needsSystemRecord(spec: DesiredState, record: StackRecord): boolean {
  return ceilingsConcerning(spec).length > 0 || checkedDnsNames(spec, record).length > 0;
}

/**
 * What the system record refuses of a schema-valid spec, field by field (none: the pass may act on it).
 * A stack that asks more than a ceiling lowered since (or set by an upgrade: a record from before the
 * ceiling reads as the default) keeps what it has, a reservation or a Fargate tier: its pass changes
 * nothing, that included, until the ceiling is raised or the spec asks less.
 */
export function systemRecordProblems(
  spec: DesiredState,
  system: SystemRecord | undefined,
  command?: CommandNamer,
  record?: StackRecord,
): SpecError[] {
  const ceilings = ceilingRefusals(spec, system, command).map((refusal) => `${refusal}${HELD}`);
  const refusals = [...ceilings, refusedDns(spec, system, command, record)];
  return refusals.flatMap((refusal) => (refusal ? [asProblem(refusal)] : []));
}

/** A refusal, `<field>: <rule>`, as a spec's problem. */
function asProblem(refusal: string): SpecError {
  const [path, ...rule] = refusal.split(': ');
  return { path: path!, message: rule.join(': ') };
}

/**
 * Why a spec may not be acted on from this record, or undefined: the record's key is the stack, and a spec
 * naming another (edited by hand, or written past the service by the stack's role) would build, tag and
 * find that stack's resources from this record. The rule for the spec's `stack` field.
 */
function namesAnotherStack(spec: DesiredState, record: StackRecord): string | undefined {
  return spec.stack === record.stack
    ? undefined
    : `must be ${record.stack}, the key of the record that holds this spec (got ${spec.stack}); nothing of either stack is built from it`;
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

/**
 * The names the stack remembers writing records at that its spec no longer wants: the leftovers it is to
 * remove (resources/route53/dns-leftovers.ts).
 */
export function leftoverNames(spec: DesiredState, record: StackRecord): WrittenDnsName[] {
  const wanted = specName(spec);
  return rememberedDnsNames(record).filter((name) => !wanted || !sameName(name, wanted));
}

/**
 * Why the pass may not act on a spec whose `dns` the system record does not allow, or undefined. A stack
 * built before its zone was taken away is left as it is, its records included: deleting a live service's
 * DNS because of a configuration change is worse than stopping (and the reconciler's IAM policy no longer
 * lets it write there anyway). So is a stack with records left at a name its spec no longer wants (`dns`
 * removed or moved) where the system record no longer lets it write: the policy would refuse their
 * DELETE (AccessDenied, a terminal error stopping the stack at a step it can never take), and forgetting
 * them would leave them in the zone for good, nobody's.
 */
export function refusedDns(
  spec: DesiredState,
  system: SystemRecord | undefined,
  command?: CommandNamer,
  record?: StackRecord,
): string | undefined {
  const refusal = firstRefusal(checkedDnsNames(spec, record), system, command);
  return refusal && `${refusal}${HELD}`;
}

/**
 * A DNS name a stack holds or will still act on, as its pass checks it against the system record:
 * `wanted`, the `dns` of the spec the pass acts on (its records are written there); `left`, a name it
 * remembers writing records at that this spec no longer wants (they are to be removed, their ownership
 * TXT kept while the old name drains, traffic/old-name.ts); `written`, a name it remembers writing at
 * while no spec of it can be acted on (an invalid spec, an unreadable deletion mark): whichever spec is
 * acted on next writes or removes records there.
 */
export interface HeldDnsName {
  hostedZoneId: string;
  /** As the spec says it, or as written without the root dot. */
  recordName: string;
  held: 'wanted' | 'left' | 'written';
}

/**
 * The spec a pass of the record acts on, as loadStack chooses it: a stack being deleted is deleted from
 * the spec it was last reconciled with (pass/deletion-spec.ts), any other from its record's `spec`.
 * Undefined when there is none to act on (the stack is held whatever the system record says).
 */
export function actedOnSpec(record: StackRecord): DesiredState | undefined {
  if (record.unreadableDeletionMark !== undefined) return undefined;
  const written = writtenSpec(record);
  if (record.deletionRequestedAt !== undefined) {
    const chosen = deletionSpec(record, written);
    return chosen.kind === 'spec' ? chosen.spec : undefined;
  }
  return written.ok ? written.spec : undefined;
}

/**
 * Every DNS name the stack holds or will still act on (pure): its acted-on spec's `dns`, and the names it
 * remembers writing records at (state/bookkeeping.ts `dnsNames`, leftovers and an old name draining
 * included) that this spec no longer wants; with no spec to act on, every name it remembers. Exactly
 * what its pass checks against the system record (`refusedDns`), so that a bootstrap taking one away
 * can say so first (cli/commands/bootstrap-stacks.ts).
 */
export function heldDnsNames(record: StackRecord): HeldDnsName[] {
  const spec = actedOnSpec(record);
  if (!spec) return rememberedDnsNames(record).map(leftName('written'));
  return checkedDnsNames(spec, record);
}

/**
 * The names a pass acting on `spec` checks against the system record: the spec's `dns`, and (given the
 * record) the names it remembers writing at that the spec no longer wants. One list, so that what
 * bootstrap warns of (heldDnsNames) is what the pass refuses (refusedDns).
 */
export function checkedDnsNames(spec: DesiredState, record: StackRecord | undefined): HeldDnsName[] {
  return [...wantedName(spec), ...(record ? leftoverNames(spec, record).map(leftName('left')) : [])];
}

/** Why the system record refuses the stack `name`, or undefined when it allows it (or restricts nothing). */
export function heldDnsNameRefusal(
  name: HeldDnsName,
  system: SystemRecord | undefined,
  command?: CommandNamer,
): string | undefined {
  const refusal = dnsRefusal(name, system, command);
  if (!refusal || name.held === 'wanted') return refusal;
  // `dns.<field>: <rule>` of a name that is not the spec's: the rule, said of the records there.
  const rule = refusal.slice(refusal.indexOf(': ') + 2);
  const records = `the records the stack wrote at ${name.recordName} in ${name.hostedZoneId}`;
  return name.held === 'left'
    ? `dns: ${records}, which its spec no longer wants, can't be removed: ${rule}`
    : `dns: ${records} can't be removed or written again once a spec of it is acted on: ${rule}`;
}

function wantedName(spec: DesiredState): HeldDnsName[] {
  return spec.dns ? [{ ...pickName(spec.dns), held: 'wanted' }] : [];
}

function leftName(held: 'left' | 'written'): (name: WrittenDnsName) => HeldDnsName {
  return ({ hostedZoneId, recordName }) => ({
    hostedZoneId,
    recordName: recordName.replace(/\.$/, ''),
    held,
  });
}

function pickName({ hostedZoneId, recordName }: { hostedZoneId: string; recordName: string }) {
  return { hostedZoneId, recordName };
}

function firstRefusal(
  names: readonly HeldDnsName[],
  system: SystemRecord | undefined,
  command?: CommandNamer,
): string | undefined {
  for (const name of names) {
    const refusal = heldDnsNameRefusal(name, system, command);
    if (refusal) return refusal;
  }
  return undefined;
}
