/**
 * The rules JSON Schema can't express: they relate two fields, or need arithmetic. Each check runs
 * even when the schema found other errors, so a user sees every problem at once; hence each one
 * first makes sure the values it reads have the right type, and stays silent otherwise (the schema
 * already reported those).
 */
import { cidrProblem } from './cidr';
import {
  LAMBDA_ENV_MAX_BYTES,
  MAX_TABLE_NAME_LENGTH,
  envNameProblem,
  environmentBytes,
  lambdaflexVariables,
} from './environment';
import { fargateMemoryRanges, isValidFargateSize } from '../aws-facts/fargate-sizes';
import { describeFargateMemory } from './fargate-sizes';
import type { SpecError } from './types';

type Doc = Record<string, unknown>;

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function checkFargate(doc: Doc, errors: SpecError[]): void {
  const fargate = doc.fargate;
  if (!isObject(fargate)) return;
  const { cpu, memoryMb, minTasks, maxTasks } = fargate;
  if (
    isNumber(cpu) &&
    isNumber(memoryMb) &&
    fargateMemoryRanges(cpu).length > 0 &&
    !isValidFargateSize(cpu, memoryMb)
  ) {
    errors.push({
      path: 'fargate.memoryMb',
      message: `must be ${describeFargateMemory(cpu)} for fargate.cpu ${cpu} (Fargate's allowed cpu/memory combinations)`,
    });
  }
  if (isNumber(minTasks) && isNumber(maxTasks) && maxTasks < minTasks) {
    errors.push({ path: 'fargate.maxTasks', message: `must be at least fargate.minTasks (${minTasks})` });
  }
}

function checkShiftSteps(doc: Doc, errors: SpecError[]): void {
  const traffic = doc.traffic;
  if (!isObject(traffic) || !Array.isArray(traffic.shiftSteps)) return;
  const steps = traffic.shiftSteps;
  // Out-of-range steps already failed the schema; ordering them as well would only repeat the news.
  if (steps.length === 0 || !steps.every((s) => isNumber(s) && s >= 1 && s <= 100)) return;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1]) {
      errors.push({
        path: `traffic.shiftSteps.${i}`,
        message: `must be greater than the step before it (${steps[i - 1]}): steps must be strictly increasing`,
      });
    }
  }
  const last = steps.length - 1;
  if (steps[last] !== 100) {
    errors.push({
      path: `traffic.shiftSteps.${last}`,
      message: 'must be 100: the last step moves all traffic',
    });
  }
}

function checkNetwork(doc: Doc, errors: SpecError[]): void {
  const network = doc.network;
  if (!isObject(network) || typeof network.cidr !== 'string') return;
  const problem = cidrProblem(network.cidr);
  // A malformed CIDR already failed the schema's pattern; report only what the pattern can't see.
  if (problem && /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}\/[0-9]{1,2}$/.test(network.cidr)) {
    errors.push({ path: 'network.cidr', message: problem });
  }
}

/** `doc.api.tokenSha256` when it is a string (the schema checks its form). */
function tokenHashOf(doc: Doc): string | undefined {
  return isObject(doc.api) && typeof doc.api.tokenSha256 === 'string' ? doc.api.tokenSha256 : undefined;
}

function checkEnvironment(doc: Doc, errors: SpecError[]): void {
  const environment = doc.environment;
  if (!isObject(environment)) return;
  for (const name of Object.keys(environment)) {
    const problem = envNameProblem(name);
    if (problem) errors.push({ path: `environment.${name}`, message: problem });
  }
  const values = Object.values(environment);
  if (!values.every((v) => typeof v === 'string')) return;
  // What Lambda measures is the whole set: the user's variables and the ones LambdaFlex adds.
  // The table's name is the reconciler's: counted at its longest, so that any table fits.
  const added = lambdaflexVariables(
    { stack: typeof doc.stack === 'string' ? doc.stack : '', api: { tokenSha256: tokenHashOf(doc) } },
    'x'.repeat(MAX_TABLE_NAME_LENGTH),
  );
  const bytes = environmentBytes({ ...(environment as Record<string, string>), ...added });
  if (bytes > LAMBDA_ENV_MAX_BYTES) {
    errors.push({
      path: 'environment',
      message: `must total at most ${LAMBDA_ENV_MAX_BYTES} bytes as Lambda measures it (all variables as one compact JSON object, with ${Object.keys(added).join(' and ')} that LambdaFlex adds, the table's name counted at DynamoDB's longest, ${MAX_TABLE_NAME_LENGTH} characters), got ${bytes}`,
    });
  }
}

/** Cross-field rules on the document before thresholds are completed. */
export function checkCrossFieldRules(doc: unknown): SpecError[] {
  if (!isObject(doc)) return [];
  const errors: SpecError[] = [];
  checkEnvironment(doc, errors);
  checkFargate(doc, errors);
  checkNetwork(doc, errors);
  checkShiftSteps(doc, errors);
  return errors;
}

/** Scale-down strictly below scale-up, on the completed thresholds (either may be computed). */
export function checkThresholdBand(
  thresholds: { scaleUp: { requestsPerSecond: number }; scaleDown: { requestsPerSecond: number } },
  given: { scaleUp: boolean },
): SpecError[] {
  const up = thresholds.scaleUp.requestsPerSecond;
  if (thresholds.scaleDown.requestsPerSecond < up) return [];
  const origin = given.scaleUp ? '' : ', computed from the cost break-even';
  return [
    {
      path: 'thresholds.scaleDown.requestsPerSecond',
      message: `must be strictly below thresholds.scaleUp.requestsPerSecond (${up}${origin})`,
    },
  ];
}
