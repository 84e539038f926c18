/**
 * The cost meter: each simulated minute, what the account spent, by stack and by tier. Fargate-tier items
 * (ALBs, tasks) are sampled at the end of the minute and charged for the whole minute; Lambda-tier items
 * are charged by the minute's requests. Resources owned by no stack count in the account totals only.
 */
import { TAG_STACK } from '../../spec/names';
import type { AccountExtension, SimAccount } from '../../aws-sim/core/account';
import { billableTasks, type EcsState } from '../../aws-sim/services/ecs';
import type { Elbv2State } from '../../aws-sim/services/elbv2';
import { takeFromSavedCloudwatch } from '../earlier-saves';
import { albMinuteCost, lambdaMinuteCost, taskMinuteCost } from './prices';
import { initialCostState, zeroCost, type CostSplit, type CostState, type MinuteCost } from './types';

/** The meter's running totals, saved with the account (it has no tick: the traffic model meters each minute). */
export const COST_METER: AccountExtension<CostState> = {
  name: 'cost',
  initialState: initialCostState,
  fromEarlierSave: (saved) => takeFromSavedCloudwatch<CostState>(saved, 'cost'),
};

/** The account's cost state; attaches the meter on first use. */
export function costState(account: SimAccount): CostState {
  return account.attach(COST_METER);
}

/** The Lambda-tier usage of one stack in one minute, and its ALB's new connections. */
export interface StackUsage {
  stack: string;
  invocations: number;
  durationMs: number;
  memoryMb: number;
  apiRequests: number;
  albNewConnections: number;
}

/** Meters one minute; returns the cost per stack ('' for resources owned by no stack). */
export function meterMinute(
  account: SimAccount,
  minute: number,
  usages: StackUsage[],
): Map<string, CostSplit> {
  const byStack = new Map<string, CostSplit>();
  const charge = (stack: string, tier: 'lambda' | 'fargate', amount: number) => {
    const split = byStack.get(stack) ?? zeroCost();
    split[tier] += amount;
    split.total += amount;
    byStack.set(stack, split);
  };
  const connections = new Map<string, number>();
  for (const usage of usages) {
    charge(usage.stack, 'lambda', lambdaMinuteCost(usage));
    connections.set(usage.stack, usage.albNewConnections);
  }
  for (const lb of Object.values(account.stateOf<Elbv2State>('elbv2').loadBalancers)) {
    const stack = lb.tags[TAG_STACK] ?? '';
    const newConnections = connections.get(stack) ?? 0;
    connections.delete(stack); // one ALB per stack carries its connections
    charge(
      stack,
      'fargate',
      albMinuteCost({ newConnectionsInMinute: newConnections, publicIps: lb.subnets.length }),
    );
  }
  const ecs = account.stateOf<EcsState>('ecs');
  for (const task of billableTasks(account)) {
    const record = ecs.tasks[task.arn];
    const service = record?.serviceArn ? ecs.services[record.serviceArn] : undefined;
    const stack = service?.tags[TAG_STACK] ?? record?.tags[TAG_STACK] ?? '';
    charge(stack, 'fargate', taskMinuteCost(task));
  }

  const cost = costState(account);
  const minuteCost: MinuteCost = { minute, ...zeroCost() };
  for (const split of byStack.values()) {
    minuteCost.lambda += split.lambda;
    minuteCost.fargate += split.fargate;
    minuteCost.total += split.total;
  }
  cost.byMinute.push(minuteCost);
  cost.total.lambda += minuteCost.lambda;
  cost.total.fargate += minuteCost.fargate;
  cost.total.total += minuteCost.total;
  return byStack;
}

/** What the account has spent since the clock started (USD), by tier. */
export function costTotal(account: SimAccount): CostSplit {
  return { ...costState(account).total };
}

/** The account's spend per simulated minute, oldest first. */
export function costByMinute(account: SimAccount): MinuteCost[] {
  return costState(account).byMinute.map((m) => ({ ...m }));
}
