/**
 * The stack's task definition family as the scenarios read it: the revisions listed by status, a
 * revision's status, the revision its ECS service runs. Reads that must not use up the seeded faults (nor
 * meet them) go through `s.account.withoutFaults`; each caller says which it wants, since that changes
 * which of the seed's faults the passes meet later.
 */
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { names } from '../../spec';
import { STACK, type Scenario } from './harness';

export type RevisionStatus = 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';

/** Whether the read goes around the account's seeded faults (true) or meets them as the passes do. */
export interface ReadOptions {
  withoutFaults: boolean;
}

const FAMILY = names(STACK).taskFamily;

/** The family's revisions of a status, oldest first. */
export async function listedRevisions(
  s: Scenario,
  status: RevisionStatus,
  { withoutFaults }: ReadOptions,
): Promise<string[]> {
  const list = () =>
    s.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: FAMILY, status, sort: 'ASC' }));
  const answer = withoutFaults ? await s.account.withoutFaults(list) : await list();
  return answer.taskDefinitionArns ?? [];
}

/** The revision's status; undefined once ECS has deleted it for good. */
export async function revisionStatus(
  s: Scenario,
  arn: string,
  options: ReadOptions,
): Promise<RevisionStatus | undefined> {
  for (const status of ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const) {
    if ((await listedRevisions(s, status, options)).includes(arn)) return status;
  }
  return undefined;
}

/** The revision the stack's ECS service runs (the service as the stack's status records it). */
export async function serviceRevision(s: Scenario): Promise<string | undefined> {
  const { resources } = (await s.store.get(STACK))!.status!;
  const described = await s.clients.ecs.send(
    new DescribeServicesCommand({ cluster: resources.cluster!.id, services: [resources.service!.id] }),
  );
  return described.services?.[0]?.taskDefinition;
}
