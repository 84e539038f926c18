/** Tags come as [{Key, Value}] (EC2, ELBv2, IAM), [{key, value}] (ECS) or maps (Lambda, API Gateway); the simulator keeps maps. */
export type TagMap = Record<string, string>;

export function fromKeyValueList(list: { Key?: string; Value?: string }[] | undefined): TagMap {
  const tags: TagMap = {};
  for (const { Key, Value } of list ?? []) if (Key !== undefined) tags[Key] = Value ?? '';
  return tags;
}

export function toKeyValueList(tags: TagMap): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromLowerKeyValueList(list: { key?: string; value?: string }[] | undefined): TagMap {
  const tags: TagMap = {};
  for (const { key, value } of list ?? []) if (key !== undefined) tags[key] = value ?? '';
  return tags;
}

export function toLowerKeyValueList(tags: TagMap): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** EC2-style filters: `tag:<key>`, `tag-key`, and any other name looked up by `fieldOf`. */
export function matchesFilters(
  tags: TagMap,
  filters: { Name?: string; Values?: string[] }[] | undefined,
  fieldOf: (name: string) => string | string[] | undefined,
): boolean {
  for (const { Name, Values } of filters ?? []) {
    if (!Name || !Values) continue;
    let actual: string | string[] | undefined;
    if (Name.startsWith('tag:')) actual = tags[Name.slice(4)];
    else if (Name === 'tag-key') actual = Object.keys(tags);
    else actual = fieldOf(Name);
    const actuals = Array.isArray(actual) ? actual : actual === undefined ? [] : [actual];
    if (!Values.some((value) => actuals.some((a) => wildcardMatch(value, a)))) return false;
  }
  return true;
}

/** EC2 filter values allow `*` and `?` wildcards. */
function wildcardMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  return wildcardRegExp(pattern).test(value);
}

/** The whole-value regular expression of a filter value with `*` (any run) and `?` (any one character). */
export function wildcardRegExp(pattern: string): RegExp {
  return new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
}
