/** Checks IAM makes server-side (IAM API reference, CreateRole / CreatePolicy parameters). */
import type { OperationContext } from '../../core/service';
import { fromKeyValueList, type TagMap } from '../../core/tags';
import type { IamState } from './state';

type Ctx = OperationContext<IamState>;

const NAME = /^[\w+=,.@-]+$/;
const UNIQUE_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function checkName(ctx: Ctx, what: string, name: string, max: number): void {
  if (name.length < 1 || name.length > max || !NAME.test(name)) {
    ctx.fail(
      'ValidationError',
      `The specified value for ${what} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_- (at most ${max})`,
    );
  }
}

/** Paths begin and end with `/` (default `/`). */
export function readPath(ctx: Ctx, path: string | undefined): string {
  const value = path ?? '/';
  if (!/^\/([\x21-\x7e]*\/)?$/.test(value) || value.length > 512) {
    ctx.fail(
      'ValidationError',
      `The specified value for path is invalid. It must begin and end with / and contain only printable ASCII.`,
    );
  }
  return value;
}

/** A policy document must be JSON with a Statement (MalformedPolicyDocument otherwise). */
export function readPolicyDocument(ctx: Ctx, document: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return ctx.fail('MalformedPolicyDocument', 'This policy contains invalid Json');
  }
  if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) {
    ctx.fail('MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  return document;
}

/** IAM quotas: a managed policy holds at most 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_SIZE = 6_144;

export function checkManagedPolicySize(ctx: Ctx, document: string): string {
  const size = document.replace(/\s/g, '').length;
  if (size > MANAGED_POLICY_SIZE) {
    ctx.fail('LimitExceeded', `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`);
  }
  return document;
}

export function readTags(ctx: Ctx, list: { Key?: string; Value?: string }[] | undefined): TagMap {
  if ((list?.length ?? 0) > 50) ctx.fail('LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50');
  return fromKeyValueList(list);
}

/** IAM unique ids: a four-letter prefix (AROA for roles, ANPA for policies) and 17 base-32 characters. */
export function uniqueId(ctx: Ctx, prefix: 'AROA' | 'ANPA'): string {
  let id = prefix;
  while (id.length < 21) id += UNIQUE_ID_CHARS[Math.floor(ctx.account.random() * UNIQUE_ID_CHARS.length)];
  return id;
}
