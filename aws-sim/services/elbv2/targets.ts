/**
 * RegisterTargets, DeregisterTargets, DescribeTargetHealth, and the same actions as plain functions for
 * ECS (which registers a task's IP when it is RUNNING) and for the traffic model (healthy target count).
 */
import type { OperationInput } from '../common/input';
import type { SimAccount } from '../../core/account';
import type { Operation, OperationContext } from '../../core/service';
import { derivedIndex } from '../../core/derived';
import { targetGroupOrFail } from './lookup';
import { isGone, targetHealth, type TargetHealth } from './health';
import type { Elbv2State, RegisteredTarget, TargetGroupRecord } from './state';

type Ctx = OperationContext<Elbv2State>;

interface TargetInput {
  Id?: string;
  Port?: number;
  AvailabilityZone?: string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function sameTarget(target: RegisteredTarget, id: string, port: number): boolean {
  return target.id === id && target.port === port;
}

/** Registers (or re-registers a draining) target at `at`; a target already registered is left alone. */
export function registerInGroup(
  group: TargetGroupRecord,
  target: { id: string; port: number; availabilityZone?: string },
  at: number,
): void {
  const existing = group.targets.find((t) => sameTarget(t, target.id, target.port));
  if (existing && existing.deregisteredAt === undefined) return;
  if (existing) group.targets.splice(group.targets.indexOf(existing), 1);
  group.targets.push({ ...target, registeredAt: at });
}

/**
 * The target groups holding a deregistered target: the only ones a refresh has to look at for targets
 * that finished draining, instead of every group of the account at every step of the clock. Kept beside
 * the account's JSON (core/derived.ts): a restored account builds it again from its records.
 */
const draining = derivedIndex(
  (groups: Elbv2State['targetGroups']) =>
    new Set(
      Object.keys(groups).filter((arn) => groups[arn].targets.some((t) => t.deregisteredAt !== undefined)),
    ),
);

/** Starts draining a target at `at`; false when it was not registered. */
export function deregisterFromGroup(
  state: Elbv2State,
  group: TargetGroupRecord,
  id: string,
  port: number,
  at: number,
): boolean {
  const existing = group.targets.find((t) => sameTarget(t, id, port) && t.deregisteredAt === undefined);
  if (!existing) return false;
  existing.deregisteredAt = at;
  draining.get(state.targetGroups).add(group.arn);
  return true;
}

/** Health of every target still in the group (drained ones are gone). */
export function targetHealths(
  state: Elbv2State,
  group: TargetGroupRecord,
  account: SimAccount,
): { target: RegisteredTarget; health: TargetHealth }[] {
  const out: { target: RegisteredTarget; health: TargetHealth }[] = [];
  for (const target of group.targets) {
    const health = targetHealth(state, group, target, account.now(), account.faults);
    if (health) out.push({ target, health });
  }
  return out;
}

/** Drops targets whose deregistration delay is over (called from refresh; answers never show them anyway). */
export function dropDrainedTargets(state: Elbv2State, now: number): void {
  const groups = draining.get(state.targetGroups);
  for (const arn of groups) {
    const group = state.targetGroups[arn];
    if (group === undefined) {
      groups.delete(arn);
      continue;
    }
    if (group.targets.some((t) => isGone(group, t, now))) {
      group.targets = group.targets.filter((t) => !isGone(group, t, now));
    }
    if (!group.targets.some((t) => t.deregisteredAt !== undefined)) groups.delete(arn);
  }
}

function targetPort(group: TargetGroupRecord, input: TargetInput): number {
  return input.Port ?? group.port;
}

function registerTargets(input: OperationInput, ctx: Ctx) {
  const group = targetGroupOrFail(ctx, input.TargetGroupArn);
  for (const target of input.Targets as TargetInput[]) {
    const id = target.Id ?? '';
    if (group.targetType === 'ip') {
      const octets = IPV4.exec(id);
      if (!octets || octets.slice(1).some((octet) => Number(octet) > 255)) {
        ctx.fail('InvalidTarget', `The IP address '${id}' is not a valid IPv4 address`);
      }
    }
    registerInGroup(
      group,
      { id, port: targetPort(group, target), availabilityZone: target.AvailabilityZone },
      ctx.now,
    );
  }
}

function deregisterTargets(input: OperationInput, ctx: Ctx) {
  const group = targetGroupOrFail(ctx, input.TargetGroupArn);
  const missing = (input.Targets as TargetInput[]).filter(
    (target) => !group.targets.some((t) => sameTarget(t, target.Id ?? '', targetPort(group, target))),
  );
  if (missing.length) {
    ctx.fail(
      'InvalidTarget',
      `The following targets are not registered in target group '${group.arn}': ${missing.map((t) => `'${t.Id}'`).join(', ')}`,
    );
  }
  for (const target of input.Targets as TargetInput[]) {
    deregisterFromGroup(ctx.state, group, target.Id ?? '', targetPort(group, target), ctx.now);
  }
}

function describeTargetHealth(input: OperationInput, ctx: Ctx) {
  const group = targetGroupOrFail(ctx, input.TargetGroupArn);
  const healths = targetHealths(ctx.state, group, ctx.account);
  const describe = (target: RegisteredTarget, health: TargetHealth) => ({
    Target: { Id: target.id, Port: target.port, AvailabilityZone: target.availabilityZone },
    HealthCheckPort: group.healthCheck.port === 'traffic-port' ? String(target.port) : group.healthCheck.port,
    TargetHealth: health,
  });
  const asked = input.Targets as TargetInput[] | undefined;
  if (!asked?.length) return { TargetHealthDescriptions: healths.map((h) => describe(h.target, h.health)) };
  return {
    TargetHealthDescriptions: asked.map((wanted) => {
      const port = targetPort(group, wanted);
      const found = healths.find((h) => sameTarget(h.target, wanted.Id ?? '', port));
      if (found) return describe(found.target, found.health);
      return describe(
        { id: wanted.Id ?? '', port, registeredAt: ctx.now },
        {
          State: 'unused',
          Reason: 'Target.NotRegistered',
          Description: 'Target is not registered to the target group',
        },
      );
    }),
  };
}

export const targetOperations: Record<string, Operation<Elbv2State>> = {
  // docs/aws-facts.md: ELBv2's registration actions, 20 / 4.
  RegisterTargets: {
    mutating: true,
    bucket: 'registration',
    required: ['TargetGroupArn', 'Targets'],
    handle: registerTargets,
  },
  DeregisterTargets: {
    mutating: true,
    bucket: 'registration',
    required: ['TargetGroupArn', 'Targets'],
    handle: deregisterTargets,
  },
  DescribeTargetHealth: { mutating: false, required: ['TargetGroupArn'], handle: describeTargetHealth },
};
