/** TagResource / UntagResource / GetTags on APIs, stages and domain names, addressed by ARN. */
import type { TagMap } from '../../core/tags';
import type { Operation } from '../../core/service';
import { notFound, type Ctx } from './find';
import type { Apigatewayv2State } from './state';

type Op = Operation<Apigatewayv2State>;

function tagsOf(ctx: Ctx, arn: unknown): TagMap {
  // Only ARNs of this account's partition and region name its resources (`arn:aws:` is no name in China).
  const match = /^arn:([^:]+):apigateway:([^:]*)::(\/.+)$/.exec(String(arn));
  const ours = match?.[1] === ctx.account.partition && match[2] === ctx.account.region;
  const path = (ours && match[3]) || '';
  const stage = /^\/apis\/([^/]+)\/stages\/([^/]+)$/.exec(path);
  if (stage) {
    const found = ctx.state.apis[stage[1]!]?.stages[stage[2]!];
    if (found) return found.tags;
  }
  const api = /^\/apis\/([^/]+)$/.exec(path);
  if (api && ctx.state.apis[api[1]!]) return ctx.state.apis[api[1]!]!.tags;
  const domain = /^\/domainnames\/([^/]+)$/.exec(path);
  if (domain && ctx.state.domainNames[domain[1]!]) return ctx.state.domainNames[domain[1]!]!.tags;
  return notFound(ctx, `Invalid resource identifier specified: ${String(arn)}`);
}

export const tagOperations: Record<string, Op> = {
  TagResource: {
    mutating: true,
    required: ['ResourceArn'],
    handle: (input, ctx) => {
      Object.assign(tagsOf(ctx, input.ResourceArn), input.Tags ?? {});
    },
  },
  UntagResource: {
    mutating: true,
    required: ['ResourceArn', 'TagKeys'],
    handle: (input, ctx) => {
      const tags = tagsOf(ctx, input.ResourceArn);
      for (const key of input.TagKeys as string[]) delete tags[key];
    },
  },
  GetTags: {
    mutating: false,
    required: ['ResourceArn'],
    handle: (input, ctx) => ({ Tags: { ...tagsOf(ctx, input.ResourceArn) } }),
  },
};
