/**
 * The desired-state contract, as a JSON Schema (draft 2020-12) written once, here: validateSpec checks
 * documents against it (spec/validate.ts), the types are derived from it (spec/types.ts, with
 * json-schema-to-ts), the README's reference and the service's /docs are generated from it, and
 * `npm run docs` writes it out as desired-state.schema.json for users' editors and tools.
 */
import type { ExtendedJSONSchema } from 'json-schema-to-ts';
import { FARGATE_CPUS, FARGATE_MEMORY_MAX_MB, FARGATE_MEMORY_MIN_MB } from '../aws-facts/fargate-sizes';

/** Annotations validateSpec reads back for its messages (spec/schema-errors.ts); ajv is told of both. */
export type SchemaAnnotations = {
  /** The human wording of a `pattern`. */
  'x-patternDescription': string;
  /** Why a required field is required, where "is required" alone would puzzle. */
  'x-requiredReasons': Record<string, string>;
};

export const desiredStateSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://lambdaflex.dev/schemas/desired-state.schema.json',
  title: 'LambdaFlex desired state',
  description:
    'The desired state of one LambdaFlex stack, as stored in the `spec` attribute of its DynamoDB record. Only `stack` and `image` are required; every other field has a default. Rules that span several fields (Fargate cpu/memory combinations, maxTasks >= minTasks, scale-down below scale-up, increasing traffic steps, private CIDR ranges, reserved Lambda environment variables) are enforced by `validateSpec` in `spec/validate.ts`.',
  type: 'object',
  additionalProperties: false,
  required: ['stack', 'image'],
  properties: {
    stack: {
      description:
        "The stack's name, the DynamoDB key, and the middle of every derived AWS resource name (`lf-<stack>-<component>`). 3–24 characters: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen.",
      type: 'string',
      minLength: 3,
      maxLength: 24,
      pattern: '^[a-z][a-z0-9-]*[a-z0-9]$',
      'x-patternDescription':
        'lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
    },
    image: {
      description:
        "The container image run by both tiers, as a reference `[registry/]repository[:tag][@sha256:digest]`. Lambda runs it only from a private Amazon ECR repository in the stack's region (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>`); `lambdaflex validate`, `apply` and `PUT /desired-state` refuse any other image, and one of another region when they know the region.",
      type: 'string',
      maxLength: 1024,
      pattern:
        '^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$',
      'x-patternDescription':
        'a container image reference such as registry/repository:tag or repository@sha256:<64 hex digits>',
    },
    mode: {
      description:
        '`auto` moves between the Lambda and Fargate tiers by traffic and cost; `lambda` and `fargate` pin the tier.',
      type: 'string',
      enum: ['auto', 'lambda', 'fargate'],
      default: 'auto',
    },
    port: {
      description: "The TCP port the container's HTTP server listens on, in both tiers.",
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: 8080,
    },
    healthCheckPath: {
      description: 'The HTTP path the ALB target group checks; it must answer 200 when the service is ready.',
      type: 'string',
      maxLength: 1024,
      pattern: '^/\\S*$',
      'x-patternDescription': "a path starting with '/' and without spaces",
      default: '/health',
    },
    environment: {
      description:
        "Environment variables given to the container in both tiers. Names as Lambda takes them (`[a-zA-Z][a-zA-Z0-9_]+`: a letter, then at least one letter, digit or underscore); none reserved by Lambda (`AWS_*`, `_HANDLER`, `_X_AMZN_TRACE_ID`, `LAMBDA_TASK_ROOT`, `LAMBDA_RUNTIME_DIR`, `TZ`) or by LambdaFlex (`LAMBDAFLEX_*`: LambdaFlex sets `LAMBDAFLEX_STACK` itself). With the variables LambdaFlex adds, at most 4 KB as Lambda measures it (one compact JSON object). Values are readable by whoever can read the stack's record or function configuration: keep secrets in Secrets Manager or SSM.",
      type: 'object',
      additionalProperties: {
        type: 'string',
      },
      default: {},
    },
    lambda: {
      description: "The Lambda tier's function configuration.",
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        memoryMb: {
          description: 'Memory of the function in MB (CPU grows with it).',
          type: 'integer',
          minimum: 128,
          maximum: 10240,
          default: 512,
        },
        timeoutSeconds: {
          description:
            'Function timeout. The HTTP API gives up after 30 s, so more than 29 only helps direct invocations.',
          type: 'integer',
          minimum: 1,
          maximum: 900,
          default: 29,
        },
        reservedConcurrency: {
          description:
            "Optional cap on the function's concurrent executions, reserved for it from the region's pool, which every function of the account shares; without it the function shares the pool. At most the ceiling given to `lambdaflex bootstrap --max-reserved-concurrency` (100 unless given): `apply` refuses more, and the reconciler changes nothing of a stack whose spec asks more (docs/security.md).",
          type: 'integer',
          minimum: 1,
        },
      },
    },
    fargate: {
      description: "The Fargate tier's task size and scaling bounds.",
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        cpu: {
          description: 'Task CPU units (1024 = 1 vCPU).',
          type: 'integer',
          enum: FARGATE_CPUS,
          default: 256,
        },
        memoryMb: {
          description:
            'Task memory in MiB; must be a value Fargate allows for `cpu` (for 256: 512, 1024 or 2048).',
          type: 'integer',
          minimum: FARGATE_MEMORY_MIN_MB,
          maximum: FARGATE_MEMORY_MAX_MB,
          default: 512,
        },
        minTasks: {
          description:
            'Tasks kept running while on the Fargate tier; traffic moves only when this many targets are healthy.',
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          default: 1,
        },
        maxTasks: {
          description:
            "Upper bound for the ECS service's auto scaling; at least `minTasks`. Its vCPUs, `maxTasks` × 2 (a rollout's tasks) × `cpu` / 1024, are at most the ceiling given to `lambdaflex bootstrap --max-fargate-vcpus` (64 unless given): `apply` refuses more, and the reconciler changes nothing of a stack whose spec asks more (docs/security.md).",
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          default: 10,
        },
        targetRequestsPerTask: {
          description:
            "Target of the ALBRequestCountPerTarget tracking policy, and each task's capacity in requests per second.",
          type: 'integer',
          minimum: 1,
          default: 100,
        },
      },
    },
    thresholds: {
      description:
        'When mode `auto` moves between tiers. A rate left out is computed from the cost break-even of the given Lambda and Fargate sizes, for the mean request duration observed (see spec/thresholds.ts); a rate given is used as given, even when it equals the computed one. Timings left out take their defaults.',
      type: 'object',
      additionalProperties: false,
      properties: {
        scaleUp: {
          description: 'Move to Fargate when either trigger has held for `forMinutes`.',
          type: 'object',
          additionalProperties: false,
          properties: {
            requestsPerSecond: {
              description:
                'Sustained requests per second above which Fargate is cheaper. Left out: the break-even rate rounded up, computed for the observed mean duration (and kept above a given scale-down rate).',
              type: 'number',
              exclusiveMinimum: 0,
            },
            forMinutes: {
              description: 'How long the trigger must hold before scaling up.',
              type: 'integer',
              minimum: 1,
              default: 3,
            },
            lambdaConcurrencyPercent: {
              description: 'Scale up as well when Lambda concurrency reaches this share of its limit.',
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 80,
            },
          },
        },
        scaleDown: {
          description:
            'Move back to Lambda when traffic has stayed below `requestsPerSecond` for `forMinutes`.',
          type: 'object',
          additionalProperties: false,
          properties: {
            requestsPerSecond: {
              description:
                'Strictly below the scale-up rate, so that the tier does not flap. Left out: about half the scale-up rate in effect.',
              type: 'number',
              minimum: 0,
            },
            forMinutes: {
              description: 'How long traffic must stay low before scaling down.',
              type: 'integer',
              minimum: 1,
              default: 15,
            },
          },
        },
        cooldownMinutes: {
          description: 'Minimum time after a transition before the next one starts.',
          type: 'integer',
          minimum: 0,
          default: 10,
        },
      },
    },
    network: {
      description: 'The VPC created for the Fargate tier.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        cidr: {
          description:
            'IPv4 CIDR of the VPC, inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, prefix /16 to /24; split in two public subnets.',
          type: 'string',
          pattern: '^[0-9]{1,3}(?:\\.[0-9]{1,3}){3}/[0-9]{1,2}$',
          'x-patternDescription': 'an IPv4 CIDR such as 10.42.0.0/16',
          default: '10.42.0.0/16',
        },
      },
    },
    dns: {
      description:
        "Optional custom domain, served over HTTPS by both tiers. Without it the stack is reached at the API's and the ALB's own URLs.",
      type: 'object',
      additionalProperties: false,
      required: ['hostedZoneId', 'recordName', 'certificateArn'],
      'x-requiredReasons': {
        certificateArn:
          "API Gateway serves a custom domain name only over HTTPS, with an ACM certificate for dns.recordName in the stack's region; without one the name could only point at the API's own execute-api host, which answers for no other name",
      },
      properties: {
        hostedZoneId: {
          description: 'The Route 53 hosted zone holding `recordName`.',
          type: 'string',
          pattern: '^Z[A-Z0-9]{1,31}$',
          'x-patternDescription':
            "a Route 53 hosted zone id: 'Z' followed by 1 to 31 uppercase letters or digits",
        },
        recordName: {
          description:
            "The DNS name of the service; weighted alias records `lambda` and `fargate` share it. At most 240 characters: its ownership TXT record, `lambdaflex-a.<recordName>`, must stay within DNS's 253 (docs/ownership.md).",
          type: 'string',
          maxLength: 240,
          pattern:
            '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?$',
          'x-patternDescription':
            'a DNS name such as api.example.com (labels of 1 to 63 letters, digits or hyphens)',
        },
        ttlSeconds: {
          description:
            'TTL of the DNS records; scale-down waits twice this before deleting the Fargate tier, and never less than twice 60 s: the records are aliases, which Route 53 answers with the fixed 60 s TTL of the load balancer whatever this says.',
          type: 'integer',
          minimum: 10,
          maximum: 3600,
          default: 60,
        },
        certificateArn: {
          description:
            "ACM certificate for `recordName` (or a wildcard covering it), issued, in the stack's region: the API's custom domain serves the name with it, and the ALB's HTTPS listener. Request one with `aws acm request-certificate --domain-name <recordName> --validation-method DNS` and add the validation CNAME to the hosted zone.",
          type: 'string',
          pattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$',
          'x-patternDescription':
            'an ACM certificate ARN such as arn:aws:acm:<region>:<account>:certificate/<id>',
        },
      },
    },
    api: {
      description:
        "The service's own API: `/desired-state`, which reads and writes this spec, and `/stack-status`. Without `tokenSha256` the service answers 403 to every call to `/desired-state`, and `/stack-status` only with states and numbers, as it answers anyone without the token (docs/security.md).",
      type: 'object',
      additionalProperties: false,
      properties: {
        tokenSha256: {
          description:
            'The lowercase hex SHA-256 of the bearer token the service accepts (`printf %s "$TOKEN" | sha256sum`). LambdaFlex gives it to the function and the task as `LAMBDAFLEX_API_TOKEN_SHA256`; the token itself is never stored.',
          type: 'string',
          pattern: '^[0-9a-f]{64}$',
          'x-patternDescription': 'a SHA-256 in lowercase hex (64 digits 0-9 and a-f)',
        },
      },
    },
    traffic: {
      description: 'How traffic moves between tiers: the weight given to the new tier at each step.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        shiftSteps: {
          description: 'Percentages of traffic on the new tier, strictly increasing and ending at 100.',
          type: 'array',
          minItems: 1,
          maxItems: 20,
          items: {
            type: 'integer',
            minimum: 1,
            maximum: 100,
          },
          default: [10, 50, 100],
        },
        stepSeconds: {
          description: 'Time between two steps (counted after Route 53 reports the change INSYNC).',
          type: 'integer',
          minimum: 0,
          maximum: 3600,
          default: 60,
        },
      },
    },
  },
} as const satisfies ExtendedJSONSchema<SchemaAnnotations>;
