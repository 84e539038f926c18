/**
 * Tags on scalable targets. Application Auto Scaling takes tags as a map (`Tags: { key: value }`), at most
 * 50, and answers ResourceNotFoundException for an unknown ARN (TagResource API reference).
 */
import type { Operation, OperationContext } from '../../core/service';
import type { TagMap } from '../../core/tags';
import type { AutoscalingState, ScalableTargetRecord } from './state';

type Ctx = OperationContext<AutoscalingState>;

const MAX_TAGS = 50;

export function tagsFromMap(tags: Record<string, string> | undefined, ctx: Ctx): TagMap {
  const out = { ...(tags ?? {}) };
  if (Object.keys(out).length > MAX_TAGS)
    ctx.fail('TooManyTagsException', `A resource can have at most ${MAX_TAGS} tags`);
  return out;
}

function targetByArn(ctx: Ctx, arn: string): ScalableTargetRecord {
  const found = Object.values(ctx.state.targets).find((t) => t.arn === arn);
  return found ?? ctx.fail('ResourceNotFoundException', `No scalable target found for ARN ${arn}`);
}

export const tagOperations: Record<string, Operation<AutoscalingState>> = {
  TagResource: {
    mutating: true,
    required: ['ResourceARN', 'Tags'],
    handle: (input, ctx) => {
      const target = targetByArn(ctx, input.ResourceARN);
      target.tags = tagsFromMap({ ...target.tags, ...input.Tags }, ctx);
    },
  },
  UntagResource: {
    mutating: true,
    required: ['ResourceARN', 'TagKeys'],
    handle: (input, ctx) => {
      const target = targetByArn(ctx, input.ResourceARN);
      for (const key of input.TagKeys as string[]) delete target.tags[key];
    },
  },
  ListTagsForResource: {
    mutating: false,
    required: ['ResourceARN'],
    handle: (input, ctx) => ({ Tags: { ...targetByArn(ctx, input.ResourceARN).tags } }),
  },
};
