/** ECS writes tags with lower-case `key`/`value`; the other services in this tier use `Key`/`Value`. */
import type { Tag } from '@aws-sdk/client-ecs';
import { nonceTags, ownershipTags } from '../../../spec';

/** The ownership tags, and the create's nonce when the engine journaled one (docs/ownership.md). */
export function ecsTags(stack: string, component: string, nonce?: string): Tag[] {
  return Object.entries({ ...ownershipTags(stack, component), ...nonceTags(nonce) }).map(([key, value]) => ({
    key,
    value,
  }));
}

export function ecsTagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.key !== undefined) record[tag.key] = tag.value ?? '';
  }
  return record;
}
