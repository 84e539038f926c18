/**
 * Tags given at creation through `TagSpecifications`: the resource and its ownership tags appear in one
 * API call, so no crash can leave an untagged (hence unfindable, hence duplicated) resource behind.
 */
import type { ResourceType, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { ownershipTagList, TAG_NONCE } from '../../../spec';

/**
 * The ownership tags plus `Name`, which is what the EC2 console shows for resources that have no name,
 * and the creation nonce when the engine journaled one (docs/ownership.md).
 */
export function ec2Tags(stack: string, component: string, name: string, nonce?: string): Tag[] {
  return [
    ...ownershipTagList(stack, component),
    { Key: 'Name', Value: name },
    ...(nonce === undefined ? [] : [{ Key: TAG_NONCE, Value: nonce }]),
  ];
}

export function ec2TagSpecifications(
  resourceType: ResourceType,
  stack: string,
  component: string,
  name: string,
  nonce?: string,
): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: ec2Tags(stack, component, name, nonce) }];
}

/** The same tags as a record, for the ObservedResource a create returns. */
export function ec2TagRecord(
  stack: string,
  component: string,
  name: string,
  nonce?: string,
): Record<string, string> {
  return Object.fromEntries(
    ec2Tags(stack, component, name, nonce).map((tag) => [tag.Key ?? '', tag.Value ?? '']),
  );
}
