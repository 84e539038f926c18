/**
 * AddTags / RemoveTags / DescribeTags for load balancers, target groups and listeners, and the check
 * of `Tags` given on create (ELBv2 API reference: at most 50 tags, no key twice).
 */
import type { Operation, OperationContext } from '../../core/service';
import { fromKeyValueList, toKeyValueList, type TagMap } from '../../core/tags';
import { taggableByArn } from './lookup';
import type { Elbv2State } from './state';

const MAX_TAGS = 50;
/** "You can specify up to 20 resources in a single call" (DescribeTags API reference). */
const MAX_DESCRIBED = 20;

/** AWS's answer to a list longer than the operation takes: a ValidationError naming the field. */
export function atMost(
  max: number,
  list: readonly unknown[] | undefined,
  field: string,
  ctx: OperationContext<Elbv2State>,
): void {
  if ((list?.length ?? 0) > max) {
    ctx.fail(
      'ValidationError',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
}

export function tagsFromInput(
  list: { Key?: string; Value?: string }[] | undefined,
  ctx: OperationContext<Elbv2State>,
): TagMap {
  const keys = (list ?? []).map((tag) => tag.Key);
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined) ctx.fail('DuplicateTagKeys', `Tag key '${duplicate}' is duplicated`);
  if (keys.length > MAX_TAGS) ctx.fail('TooManyTags', `A resource can have at most ${MAX_TAGS} tags`);
  return fromKeyValueList(list);
}

export const tagOperations: Record<string, Operation<Elbv2State>> = {
  AddTags: {
    mutating: true,
    required: ['ResourceArns', 'Tags'],
    handle: (input, ctx) => {
      const added = tagsFromInput(input.Tags, ctx);
      for (const arn of input.ResourceArns as string[]) {
        const resource = taggableByArn(ctx, arn);
        const merged = { ...resource.tags, ...added };
        if (Object.keys(merged).length > MAX_TAGS) {
          ctx.fail(
            'TooManyTags',
            `The quota for the number of tags that can be assigned to '${arn}' is reached`,
          );
        }
        resource.tags = merged;
      }
    },
  },
  RemoveTags: {
    mutating: true,
    required: ['ResourceArns', 'TagKeys'],
    handle: (input, ctx) => {
      for (const arn of input.ResourceArns as string[]) {
        const resource = taggableByArn(ctx, arn);
        for (const key of input.TagKeys as string[]) delete resource.tags[key];
      }
    },
  },
  DescribeTags: {
    mutating: false,
    required: ['ResourceArns'],
    handle: (input, ctx) => {
      const arns = input.ResourceArns as string[];
      atMost(MAX_DESCRIBED, arns, 'resourceArns', ctx);
      return {
        TagDescriptions: arns.map((arn) => ({
          ResourceArn: arn,
          Tags: toKeyValueList(taggableByArn(ctx, arn).tags),
        })),
      };
    },
  },
};
