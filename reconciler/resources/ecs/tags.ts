/** ECS writes tags with lower-case `key`/`value`; the other services in this tier use `Key`/`Value`. */
import type { Tag } from '@aws-sdk/client-ecs';
import { ownershipTags } from '../../../spec';

export function ecsTags(stack: string, component: string): Tag[] {
  return Object.entries(ownershipTags(stack, component)).map(([key, value]) => ({ key, value }));
}

export function ecsTagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.key !== undefined) record[tag.key] = tag.value ?? '';
  }
  return record;
}
