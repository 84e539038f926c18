/**
 * The container's environment: Lambda's name pattern and reserved names, LambdaFlex's own variables,
 * and the 4 KB limit measured the way Lambda measures it (the whole set as compact JSON).
 */
import {
  API_TOKEN_HASH_VARIABLE,
  LAMBDA_ENV_MAX_BYTES,
  STACK_VARIABLE,
  TABLE_VARIABLE,
  MAX_TABLE_NAME_LENGTH,
  containerEnvironment,
  envNameProblem,
  environmentBytes,
  lambdaflexVariables,
} from '../../spec/environment';
import { validateSpec } from '../../spec';
import { MINIMAL } from './fixtures';

const HASH = 'ab'.repeat(32);

describe('envNameProblem', () => {
  it.each(['A', '_X', '9LIVES', 'LOG-LEVEL', 'É_TAT', ''])("refuses %j: outside Lambda's pattern", (name) => {
    expect(envNameProblem(name)).toMatch(/must match Lambda's \[a-zA-Z\]\[a-zA-Z0-9_\]\+/);
  });

  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'toString', '__defineGetter__'])(
    'refuses %s, a property of every object',
    (name) => expect(envNameProblem(name)).toMatch(/Object\.prototype/),
  );

  it.each([STACK_VARIABLE, 'LAMBDAFLEX_TABLE', 'LAMBDAFLEX_x'])(
    'refuses %s, reserved for LambdaFlex',
    (name) => {
      expect(envNameProblem(name)).toMatch(/reserved for LambdaFlex/);
    },
  );

  it('points the token hash at api.tokenSha256', () => {
    expect(envNameProblem(API_TOKEN_HASH_VARIABLE)).toMatch(/set api\.tokenSha256 instead/);
  });

  it.each(['AB', 'a1', 'LOG_LEVEL', 'x_', 'LAMBDAFLEX', 'Lambdaflex_stack'])('accepts %s', (name) => {
    expect(envNameProblem(name)).toBeUndefined();
  });
});

describe('lambdaflexVariables and containerEnvironment', () => {
  it('give the stack and its table, and the token hash only when api.tokenSha256 is set', () => {
    expect(lambdaflexVariables({ stack: 'shop' }, 'lf-state')).toEqual({
      LAMBDAFLEX_STACK: 'shop',
      LAMBDAFLEX_TABLE: 'lf-state',
    });
    expect(lambdaflexVariables({ stack: 'shop', api: { tokenSha256: HASH } }, 'lf-state')).toEqual({
      LAMBDAFLEX_STACK: 'shop',
      LAMBDAFLEX_TABLE: 'lf-state',
      LAMBDAFLEX_API_TOKEN_SHA256: HASH,
    });
  });

  it("puts LambdaFlex's variables beside the user's", () => {
    expect(containerEnvironment({ stack: 'shop', environment: { LOG_LEVEL: 'info' } }, 'lf-state')).toEqual({
      LOG_LEVEL: 'info',
      LAMBDAFLEX_STACK: 'shop',
      LAMBDAFLEX_TABLE: 'lf-state',
    });
  });
});

describe('environmentBytes', () => {
  it('is the length of the set as compact JSON', () => {
    expect(environmentBytes({ AB: 'c' })).toBe('{"AB":"c"}'.length);
    expect(environmentBytes({ AB: 'say "hi"\n' })).toBe(JSON.stringify({ AB: 'say "hi"\n' }).length);
  });

  it('counts a character outside ASCII as its \\u escape (6 bytes), never less than UTF-8', () => {
    expect(environmentBytes({ AB: 'é' })).toBe('{"AB":"\\u00e9"}'.length);
    expect(environmentBytes({ AB: '😀' })).toBe('{"AB":"\\ud83d\\ude00"}'.length);
  });
});

describe('validateSpec: the 4 KB limit counts what LambdaFlex adds', () => {
  // {"BIG":"…","LAMBDAFLEX_STACK":"orders-api","LAMBDAFLEX_TABLE":"<255 characters>"}: everything but
  // the value's characters; the table is the reconciler's, so the longest name DynamoDB allows is counted.
  const overhead = environmentBytes({
    BIG: '',
    [STACK_VARIABLE]: MINIMAL.stack,
    [TABLE_VARIABLE]: 'x'.repeat(MAX_TABLE_NAME_LENGTH),
  });
  const fits = { BIG: 'x'.repeat(LAMBDA_ENV_MAX_BYTES - overhead) };

  it('accepts a set that reaches exactly 4096 bytes with LAMBDAFLEX_STACK and the longest LAMBDAFLEX_TABLE', () => {
    expect(validateSpec({ ...MINIMAL, environment: fits })).toMatchObject({ ok: true });
  });

  it('refuses one byte more, naming the field, the rule and the size', () => {
    const result = validateSpec({ ...MINIMAL, environment: { BIG: `${fits.BIG}x` } });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'environment',
          message: expect.stringMatching(
            /at most 4096 bytes as Lambda measures it .*LAMBDAFLEX_STACK and LAMBDAFLEX_TABLE.*255 characters.*got 4097$/,
          ),
        },
      ],
    });
  });

  it('refuses 4096 bytes of names and values, which the variables LambdaFlex adds push over', () => {
    const result = validateSpec({ ...MINIMAL, environment: { BIG: 'x'.repeat(4093) } });
    expect(result.ok).toBe(false);
  });

  it('counts the token hash when api.tokenSha256 is set', () => {
    const result = validateSpec({ ...MINIMAL, environment: fits, api: { tokenSha256: HASH } });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'environment',
          message: expect.stringMatching(
            /LAMBDAFLEX_STACK and LAMBDAFLEX_TABLE and LAMBDAFLEX_API_TOKEN_SHA256 that LambdaFlex adds/,
          ),
        },
      ],
    });
  });
});

describe('validateSpec: prototype names', () => {
  it('refuses an own __proto__ variable (as JSON.parse makes it), naming it', () => {
    const doc = JSON.parse(`{"stack":"orders-api","image":"nginx","environment":{"__proto__":"x","OK":"y"}}`);
    expect(validateSpec(doc)).toEqual({
      ok: false,
      errors: [{ path: 'environment.__proto__', message: expect.stringMatching(/Object\.prototype/) }],
    });
  });
});

describe('api.tokenSha256', () => {
  it('accepts a lowercase hex SHA-256 and keeps it', () => {
    const result = validateSpec({ ...MINIMAL, api: { tokenSha256: HASH } });
    expect(result.ok && result.spec.api).toEqual({ tokenSha256: HASH });
  });

  it.each([
    ['uppercase', 'AB'.repeat(32)],
    ['too short', 'ab'.repeat(31)],
    ['the token itself', 'lf_secret_token'],
  ])('refuses %s, naming the field and the form', (_case, value) => {
    expect(validateSpec({ ...MINIMAL, api: { tokenSha256: value } })).toEqual({
      ok: false,
      errors: [{ path: 'api.tokenSha256', message: expect.stringMatching(/SHA-256 in lowercase hex/) }],
    });
  });
});
