/**
 * EC2 tags: at creation through `TagSpecifications`, later through CreateTags/DeleteTags, and listed by
 * DescribeTags ("Tag your Amazon EC2 resources": 50 tags per resource, keys ≤ 128, values ≤ 256, no `aws:`).
 */
import type {
  CreateTagsRequest,
  DeleteTagsRequest,
  DescribeTagsRequest,
  DescribeTagsResult,
  TagDescription,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import { paginate, InvalidTokenError } from '../../core/pagination';
import { matchesFilters, type TagMap } from '../../core/tags';
import { ec2Operation, type Ec2Context } from './context';
import { kindOfId, taggableRecord, type Ec2KindName } from './kinds';
import type { Ec2State } from './state';

const MAX_TAGS_PER_RESOURCE = 50;

/** The tags for a new resource of `resourceType`; a specification for another type is refused as AWS does. */
export function tagsFromSpecifications(
  specifications: TagSpecification[] | undefined,
  resourceType: Ec2KindName,
  ctx: Ec2Context,
): TagMap {
  const tags: TagMap = {};
  for (const specification of specifications ?? []) {
    if (specification.ResourceType !== resourceType) {
      ctx.fail(
        'InvalidParameterValue',
        `'${specification.ResourceType}' is not a valid taggable resource type for this operation.`,
      );
    }
    addTags(tags, specification.Tags, ctx);
  }
  return tags;
}

function addTags(
  target: TagMap,
  tags: { Key?: string; Value?: string }[] | undefined,
  ctx: Ec2Context,
): void {
  for (const { Key, Value } of tags ?? []) {
    if (Key === undefined || Key === '') ctx.fail('InvalidParameterValue', 'Tag keys must not be empty');
    if (Key.length > 128 || (Value ?? '').length > 256) {
      ctx.fail('InvalidParameterValue', `Tag '${Key}' is too long (key ≤ 128, value ≤ 256 characters)`);
    }
    if (Key.toLowerCase().startsWith('aws:')) {
      ctx.fail('InvalidParameterValue', `Tag key '${Key}' uses the reserved prefix aws:`);
    }
    target[Key] = Value ?? '';
  }
  if (Object.keys(target).length > MAX_TAGS_PER_RESOURCE) {
    ctx.fail('TagLimitExceeded', `The maximum number of tags (${MAX_TAGS_PER_RESOURCE}) was exceeded`);
  }
}

function requireTaggable(state: Ec2State, id: string, ctx: Ec2Context): TagMap {
  const kind = kindOfId(id);
  if (!kind) ctx.fail('InvalidID', `The ID '${id}' is not valid`);
  const record = taggableRecord(state, id);
  if (!record) ctx.fail(kind.notFoundCode, kind.notFoundMessage(id));
  return record.tags;
}

export const createTags = ec2Operation<CreateTagsRequest, Record<string, never>>({
  mutating: true,
  required: ['Resources', 'Tags'],
  handle: (input, ctx: Ec2Context) => {
    // All or nothing: every id is checked, and every tag map tried on a copy, before anything changes.
    const targets = (input.Resources ?? []).map((id) => requireTaggable(ctx.state, id, ctx));
    const updated = targets.map((tags) => {
      const copy = { ...tags };
      addTags(copy, input.Tags, ctx);
      return copy;
    });
    targets.forEach((tags, index) => Object.assign(tags, updated[index]));
    return {};
  },
});

export const deleteTags = ec2Operation<DeleteTagsRequest, Record<string, never>>({
  mutating: true,
  required: ['Resources'],
  handle: (input, ctx: Ec2Context) => {
    const targets = (input.Resources ?? []).map((id) => requireTaggable(ctx.state, id, ctx));
    for (const tags of targets) {
      // Without Tags every tag goes; a tag given with a Value goes only if the value matches.
      if (input.Tags === undefined) {
        for (const key of Object.keys(tags)) delete tags[key];
        continue;
      }
      for (const { Key, Value } of input.Tags) {
        if (Key === undefined || !(Key in tags)) continue;
        if (Value === undefined || tags[Key] === Value) delete tags[Key];
      }
    }
    return {};
  },
});

const TAG_FILTERS = ['resource-id', 'resource-type', 'key', 'value'];

export const describeTags = ec2Operation<DescribeTagsRequest, DescribeTagsResult>({
  mutating: false,
  handle: (input, ctx: Ec2Context) => {
    for (const { Name } of input.Filters ?? []) {
      if (!Name || !TAG_FILTERS.includes(Name))
        ctx.fail('InvalidParameterValue', `The filter '${Name}' is invalid`);
    }
    const all: TagDescription[] = [];
    for (const { id, type, tags, createdAt } of everyTaggable(ctx.state)) {
      if (!ctx.account.isVisible(createdAt)) continue;
      for (const [Key, Value] of Object.entries(tags)) {
        const fields: Record<string, string> = {
          'resource-id': id,
          'resource-type': type,
          key: Key,
          value: Value,
        };
        if (matchesFilters({}, input.Filters, (name) => fields[name])) {
          all.push({ Key, Value, ResourceId: id, ResourceType: type as TagDescription['ResourceType'] });
        }
      }
    }
    try {
      const page = paginate(
        all,
        input.NextToken,
        input.MaxResults,
        input.MaxResults ?? Number.MAX_SAFE_INTEGER,
      );
      return { Tags: page.items, NextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidTokenError) ctx.fail('InvalidPaginationToken', error.message);
      throw error;
    }
  },
});

function* everyTaggable(
  state: Ec2State,
): Generator<{ id: string; type: Ec2KindName; tags: TagMap; createdAt: number }> {
  const collections: [Ec2KindName, Record<string, { id: string; tags: TagMap; createdAt: number }>][] = [
    ['vpc', state.vpcs],
    ['subnet', state.subnets],
    ['internet-gateway', state.internetGateways],
    ['route-table', state.routeTables],
    ['security-group', state.securityGroups],
    ['network-interface', state.networkInterfaces],
  ];
  for (const [type, records] of collections) {
    for (const record of Object.values(records))
      yield { id: record.id, type, tags: record.tags, createdAt: record.createdAt };
  }
  for (const group of Object.values(state.securityGroups)) {
    for (const rule of Object.values(group.rules)) {
      yield { id: rule.id, type: 'security-group-rule', tags: rule.tags, createdAt: group.createdAt };
    }
  }
}
