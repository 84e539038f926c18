/**
 * ECS TagResource / UntagResource / ListTagsForResource on clusters, services, task definitions and
 * tasks. ECS tags are lowercase `{ key, value }` pairs, at most 50 per resource (ECS API reference, Tag).
 */
import type { Operation, OperationContext } from '../../core/service';
import { fromLowerKeyValueList, toLowerKeyValueList, type TagMap } from '../../core/tags';
import type { EcsState } from './state';

type Ctx = OperationContext<EcsState>;

const MAX_TAGS = 50;

export function tagsFromInput(list: { key?: string; value?: string }[] | undefined, ctx: Ctx): TagMap {
  const tags = fromLowerKeyValueList(list);
  if (Object.keys(tags).length > MAX_TAGS)
    ctx.fail('InvalidParameterException', `A resource can have at most ${MAX_TAGS} tags`);
  if (Object.keys(tags).some((key) => key.toLowerCase().startsWith('aws:'))) {
    ctx.fail('InvalidParameterException', "Tag keys prefixed with 'aws:' are reserved");
  }
  return tags;
}

function taggable(ctx: Ctx, arn: string): { tags: TagMap } {
  const record =
    ctx.state.clusters[arn] ??
    ctx.state.services[arn] ??
    ctx.state.taskDefinitions[arn] ??
    ctx.state.tasks[arn];
  if (!record || ('status' in record && record.status === 'INACTIVE' && !ctx.state.taskDefinitions[arn])) {
    if (arn.includes(':cluster/')) ctx.fail('ClusterNotFoundException', 'Cluster not found.');
    ctx.fail('ResourceNotFoundException', `The specified resource ${arn} is not found.`);
  }
  return record;
}

export const tagOperations: Record<string, Operation<EcsState>> = {
  TagResource: {
    mutating: true,
    required: ['resourceArn', 'tags'],
    handle: (input, ctx) => {
      const record = taggable(ctx, input.resourceArn);
      const merged = { ...record.tags, ...tagsFromInput(input.tags, ctx) };
      if (Object.keys(merged).length > MAX_TAGS)
        ctx.fail('InvalidParameterException', `A resource can have at most ${MAX_TAGS} tags`);
      record.tags = merged;
    },
  },
  UntagResource: {
    mutating: true,
    required: ['resourceArn', 'tagKeys'],
    handle: (input, ctx) => {
      const record = taggable(ctx, input.resourceArn);
      for (const key of input.tagKeys as string[]) delete record.tags[key];
    },
  },
  ListTagsForResource: {
    mutating: false,
    required: ['resourceArn'],
    handle: (input, ctx) => ({ tags: toLowerKeyValueList(taggable(ctx, input.resourceArn).tags) }),
  },
};
