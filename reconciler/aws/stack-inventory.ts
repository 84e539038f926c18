/**
 * The stack's inventory: every ARN the Resource Groups Tagging API lists with the stack's tag, the one
 * call with which a steady-state pass checks that nothing came or went (engine/observe-inventory.ts).
 * IAM roles are never listed ("GetResources does not currently support IAM users and roles").
 */
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { TAG_STACK } from '../../spec/names';
import { classify } from './classify';
import type { AwsClients } from './clients';

/** The most the API gives in one page: a stack's 20-odd tagged resources fit in one call. */
const PAGE_SIZE = 100;

/**
 * The inventory, or undefined when AWS would not list it (throttled, not allowed): the pass then observes
 * in full and keeps no snapshot. Anything that is not an AWS answer (a bug, a dying process) is thrown.
 */
export async function tryListStackInventory(
  clients: AwsClients,
  stack: string,
): Promise<string[] | undefined> {
  try {
    return await listStackInventory(clients, stack);
  } catch (error) {
    if (classify(error) === 'fatal') throw error;
    return undefined;
  }
}

/** Every ARN tagged with this stack, sorted. */
export async function listStackInventory(clients: AwsClients, stack: string): Promise<string[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.tagging.send(
      new GetResourcesCommand({
        TagFilters: [{ Key: TAG_STACK, Values: [stack] }],
        ResourcesPerPage: PAGE_SIZE,
        ...(token ? { PaginationToken: token } : {}),
      }),
    );
    for (const mapping of page.ResourceTagMappingList ?? []) {
      if (mapping.ResourceARN) arns.push(mapping.ResourceARN);
    }
    // The last page answers an empty token.
    token = page.PaginationToken || undefined;
  } while (token);
  return arns.sort();
}
