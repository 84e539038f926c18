/**
 * Name rules that ELBv2 checks server-side (CreateLoadBalancer / CreateTargetGroup API reference): at most
 * 32 characters, letters, digits and hyphens only, no hyphen at either end, and a load balancer name may
 * not begin with `internal-` (that prefix is how AWS names internal ALBs' DNS records).
 */
const NAME_PATTERN = /^[A-Za-z0-9-]+$/;
const MAX_NAME_LENGTH = 32;

/** Why `name` is invalid for `kind`, in AWS's words, or undefined when it is valid. */
export function invalidNameReason(kind: 'Load balancer' | 'Target group', name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) {
    return `${kind} name '${name}' cannot be longer than '${MAX_NAME_LENGTH}' characters`;
  }
  if (!NAME_PATTERN.test(name)) {
    return `${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`;
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return `${kind} name '${name}' cannot begin or end with '-' character`;
  }
  if (kind === 'Load balancer' && name.toLowerCase().startsWith('internal-')) {
    return `${kind} name '${name}' cannot begin with 'internal-'`;
  }
  return undefined;
}
