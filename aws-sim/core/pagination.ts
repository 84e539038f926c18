/**
 * Pagination as AWS does it: an opaque token (here the offset, base64) and a page size. Tokens are
 * checked, so a caller that invents one gets the same kind of error as from AWS.
 */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T>(
  all: readonly T[],
  token: string | undefined,
  pageSize: number | undefined,
  defaultSize = 1000,
): Page<T> {
  const start = token === undefined ? 0 : decodeToken(token);
  const size = pageSize && pageSize > 0 ? pageSize : defaultSize;
  const items = all.slice(start, start + size);
  const end = start + items.length;
  return { items, nextToken: end < all.length ? encodeToken(end) : undefined };
}

function encodeToken(offset: number): string {
  return Buffer.from(`lf-sim:${offset}`).toString('base64');
}

function decodeToken(token: string): number {
  const match = /^lf-sim:(\d+)$/.exec(Buffer.from(token, 'base64').toString());
  if (!match) throw new InvalidTokenError(token);
  return Number(match[1]);
}

/** Services map this to their own code (InvalidNextToken, InvalidParameterValue, …). */
export class InvalidTokenError extends Error {
  constructor(token: string) {
    super(`The pagination token '${token}' is invalid`);
  }
}
