/**
 * The words a person reads for the reconciler's steps and resources in "waiting for" (status, the
 * dashboard, reconcile's progress): "the load balancer to be created: …", not "create:alb: …", and the
 * cause without the SDK's error class ("DependencyNotThere: its ALB is not made yet" reads "its ALB is
 * not made yet"). The ids stay in the record and in `-o json`; only the rendering says words. Done once
 * here, so that every view says the same.
 */
import type { ResourceKey } from '../reconciler/resources/keys';

/** What each of a stack's resource keys is, in words: every key has its words (a type error otherwise). */
const RESOURCE_WORDS: Record<ResourceKey, string> = {
  'lambda-role': "the function's role",
  'lambda-role-global': "the function's role (replaced)",
  'lambda-function': 'the function',
  'lambda-permission': "the API's permission to call the function",
  'http-api': 'the HTTP API',
  'api-integration': "the API's integration",
  'api-route': "the API's route",
  'api-stage': "the API's stage",
  'api-domain': "the API's custom domain",
  'api-mapping': "the API's domain mapping",
  'api-domain-leftovers': "the API's old custom domain",
  'dns-lambda': "the Lambda tier's DNS record",
  vpc: 'the VPC',
  'subnet-a': 'subnet a',
  'subnet-b': 'subnet b',
  igw: 'the internet gateway',
  'route-table': 'the route table',
  'sg-alb': "the load balancer's security group",
  'sg-tasks': "the tasks' security group",
  alb: 'the load balancer',
  tg: 'the target group',
  'listener-http': 'the HTTP listener',
  'listener-https': 'the HTTPS listener',
  cluster: 'the ECS cluster',
  'execution-role': "the tasks' execution role",
  'execution-role-global': "the tasks' execution role (replaced)",
  'task-role': "the tasks' role",
  'task-definition': 'the task definition',
  service: 'the Fargate service',
  'scalable-target': "the service's scalable target",
  'scaling-policy': "the service's scaling policy",
  'dns-fargate': "the Fargate tier's DNS record",
  'dns-leftovers': 'the old DNS records',
};

/** A resource key in words; a key not known is said as it is. */
export function resourceWords(key: string): string {
  return (RESOURCE_WORDS as Record<string, string>)[key] ?? key;
}

/** What a step of each action waits to have happened to its resource. */
const AWAITED: Record<string, string> = {
  create: 'to be created',
  update: 'to be updated',
  delete: 'to be deleted',
  wait: 'to become ready',
};
const DOING: Record<string, string> = {
  create: 'creating',
  update: 'updating',
  delete: 'deleting',
  wait: 'waiting for',
};

/*
 * Why the cause is read from its text here, and not rendered from parts: the record keeps none apart. A
 * step's waiting or blocked outcome has one `reason` string (engine/types.ts StepOutcome), joined where
 * it is made, at three depths: the engine's failure message "<verb-ing> <Kind> (<id>): <Code>: <message>"
 * (engine/apply.ts `failure`, awsMessage in aws/classify.ts), a held step's "waits for <step id>: <its
 * dependency's reason>" (apply.ts `schedule`), and the traffic engine's "could not observe <keys>"
 * (resources/named-unobserved.ts) in `trafficAwaiting`. That string is also the message the team's rule
 * asks for, read as it is in the Errors condition, events, logs and `-o json`. Keeping the parts apart
 * means a structured cause on the waiting and blocked outcomes (the error's own message, the dependency's
 * step) and on the traffic engine's wait, written into every stack record; records already written hold
 * only the joined text, so this reading would stay as their fallback until each stack's next pass. Not
 * done in the pass that found it: the formats read here are the reconciler's own, each made in one place
 * (test/cli/step-words.test.ts holds them as read here), and the outcome's shape is the engine's and the
 * record's, a change of its own.
 */
const STEP_ID = /\b(create|update|delete|wait):([a-z][a-z0-9-]*)/g;
/** "creating AWS::Route53::RecordSet (dns-fargate): " at the head of a cause: the step already says it. */
const CALL_PREFIX = /(^|: )(creating|updating|deleting|reading|tagging|waiting for) AWS::[\w:]+ \([^)]*\): /g;
/** An SDK error's class name before its message ("DependencyNotThere: ", "ValidationException: "). */
const ERROR_CLASS =
  /(^|: )[A-Z][A-Za-z]*(Exception|Error|Fault|NotThere|NotFound|InUse|Conflict|Throttled|Throttling): /g;

/**
 * A cause as a person reads it: the step ids it names in words ("waits for create:lambda-function" reads
 * "waits for creating the function"), the call's kind and id and the error's class left out.
 */
export function causeWords(cause: string): string {
  return cause
    .replace(CALL_PREFIX, '$1')
    .replace(ERROR_CLASS, '$1')
    .replace(STEP_ID, (_, action: string, key: string) => `${DOING[action]} ${resourceWords(key)}`)
    .replace(
      /could not observe ([a-z][a-z0-9-]*(?:, [a-z][a-z0-9-]*)*)/g,
      (_, keys: string) => `could not look up ${keys.split(', ').map(resourceWords).join(', ')}`,
    );
}

/**
 * One step waiting, as "waiting for" lists it: `create:alb` and its cause read "the load balancer to be
 * created: <cause>". A step id of another shape is said as it is, its cause in words.
 */
export function waitingStepWords(id: string, cause: string): string {
  const match = /^(create|update|delete|wait):(.+)$/.exec(id);
  const words = causeWords(cause);
  if (!match) return `${id}: ${words}`;
  // `delete:tg@<id>`: a duplicate of the resource, named by its id.
  const [key, duplicate] = match[2]!.split('@') as [string, string | undefined];
  const what = duplicate ? `${resourceWords(key)} ${duplicate} (a duplicate)` : resourceWords(key);
  return `${what} ${AWAITED[match[1]!]}: ${words}`;
}
