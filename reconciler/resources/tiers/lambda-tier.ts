/**
 * The Lambda tier's resource kinds in creation order (each after everything in its `dependsOn`); the
 * engine deletes in reverse. The tier is present while the stack exists (safety rule 4). The `fargate`
 * record, `dnsRecordKind('fargate')`, belongs to the Fargate tier's list. `api-domain-leftovers` is never
 * wanted: it stands for custom domains an earlier spec made (a renamed one, or `dns` removed).
 */
import { apiDomainKind } from '../apigateway/api-domain';
import { apiDomainLeftoversKind } from '../apigateway/api-domain-leftovers';
import { apiIntegrationKind } from '../apigateway/api-integration';
import { apiMappingKind } from '../apigateway/api-mapping';
import { apiRouteKind } from '../apigateway/api-route';
import { apiStageKind } from '../apigateway/api-stage';
import { dnsRecordKind } from '../route53/dns-record';
import { httpApiKind } from '../apigateway/http-api';
import { lambdaFunctionKind } from '../lambda/lambda-function';
import { lambdaPermissionKind } from '../lambda/lambda-permission';
import { lambdaRoleKind, lambdaRoleReplacedKind } from '../iam/lambda-role';
import type { StackKind } from '../types';

export const LAMBDA_TIER_KINDS: readonly StackKind[] = [
  lambdaRoleKind,
  lambdaFunctionKind,
  httpApiKind,
  apiIntegrationKind,
  apiRouteKind,
  apiStageKind,
  lambdaPermissionKind,
  apiDomainKind,
  apiMappingKind,
  apiDomainLeftoversKind,
  dnsRecordKind('lambda'),
  // Never wanted: the role of before names carried the region, deleted once the function has moved.
  lambdaRoleReplacedKind,
];
