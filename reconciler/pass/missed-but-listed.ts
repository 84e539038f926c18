/**
 * The pass's check, after apply, that nothing of the stack's own it forgot is still listed before it calls
 * the stack settled or its deletion done (engine/missed-but-listed.ts). It asks the Tagging API only then,
 * and only while the stack holds a pair forgotten recently: a pass at rest reuses the inventory it listed
 * before its full observation.
 */
import type { AwsClients } from '../aws/clients';
import { tryListStackInventory } from '../aws/stack-inventory';
import { anyYoungPair, missedButListed, type MissedButListed } from '../engine/missed-but-listed';
import type { OwnershipLedger } from '../engine/ownership';
import type { ApplyResult, Plan } from '../engine/types';
import type { ManagedResource } from '../resources/types';
import type { TerminalState } from '../state/bookkeeping';
import type { Phase } from '../state/types';
import { deletionDone, isSettled } from './outcome';

export interface StillListed {
  missed: MissedButListed[];
  /** Whether the Tagging API answered (false: the pairs count as listed, unknown is not absent). */
  listed: boolean;
}

export interface StillListedInput {
  clients: AwsClients;
  stack: string;
  ledger: OwnershipLedger;
  kinds: readonly ManagedResource[];
  plan: Plan;
  result: ApplyResult;
  trafficPhase: Phase;
  terminal: TerminalState | undefined;
  deletionRequested: boolean;
  /** The inventory the pass listed before its observation, if it did. */
  inventory?: readonly string[];
  now: number;
}

/** Whether the pass would end the stack's work: settle it, or delete its record. */
function wouldEnd(input: Omit<StillListedInput, 'clients' | 'stack' | 'ledger' | 'inventory' | 'now'>) {
  return input.deletionRequested ? deletionDone(input) : isSettled(input);
}

/** The ARN service of each CloudFormation namespace whose kinds' ids are never reused (their ARNs end in them). */
const ARN_SERVICE: Readonly<Record<string, string>> = {
  EC2: 'ec2',
  ApiGatewayV2: 'apigateway',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  ECS: 'ecs',
};

/** By key, the service whose ARNs end in the key's ids; none for a kind whose id is a name. */
function arnServices(kinds: readonly ManagedResource[]): Record<string, string> {
  const services: Record<string, string> = {};
  for (const kind of kinds) {
    const service = ARN_SERVICE[kind.type.split('::')[1] ?? ''];
    if (kind.idsNeverReused && service) services[kind.key] = service;
  }
  return services;
}

/** The stack's forgotten resources still listed, when the pass would otherwise end; undefined otherwise. */
export async function stillListed(input: StillListedInput): Promise<StillListed | undefined> {
  if (!wouldEnd(input)) return undefined;
  const { forgotten, earlier } = input.ledger.toBookkeeping();
  if (!forgotten || !anyYoungPair(forgotten, input.now)) return undefined;
  const inventory = input.inventory ?? (await tryListStackInventory(input.clients, input.stack));
  const missed = missedButListed({
    inventory,
    forgotten,
    ...(earlier ? { earlier } : {}),
    arnServices: arnServices(input.kinds),
    observation: input.result.observation,
    now: input.now,
  });
  return missed.length > 0 ? { missed, listed: inventory !== undefined } : undefined;
}
