/**
 * The Lambda tier's resource kinds in creation order (each after everything in its `dependsOn`); the
 * engine deletes in reverse. The tier is present while the stack exists (safety rule 4). The `fargate`
 * record, `dnsRecordResource('fargate')`, belongs to the Fargate tier's list. `api-domain-leftovers` is never
 * wanted: it stands for custom domains an earlier spec made (a renamed one, or `dns` removed).
 */
import { apiDomainResource } from '../apigateway/domain';
import { apiDomainLeftoversResource } from '../apigateway/domain-leftovers';
import { apiIntegrationResource } from '../apigateway/integration';
import { apiMappingResource } from '../apigateway/mapping';
import { apiRouteResource } from '../apigateway/route';
import { apiStageResource } from '../apigateway/stage';
import { dnsRecordResource } from '../route53/dns-record';
import { httpApiResource } from '../apigateway/http-api';
import { lambdaFunctionResource } from '../lambda/function';
import { lambdaPermissionResource } from '../lambda/permission';
import { lambdaRoleResource, lambdaRoleReplacedResource } from '../iam/lambda-role';
import type { StackResource } from '../types';

export const LAMBDA_TIER_RESOURCES: readonly StackResource[] = [
  lambdaRoleResource,
  lambdaFunctionResource,
  httpApiResource,
  apiIntegrationResource,
  apiRouteResource,
  apiStageResource,
  lambdaPermissionResource,
  apiDomainResource,
  apiMappingResource,
  apiDomainLeftoversResource,
  dnsRecordResource('lambda'),
  // Never wanted: the role of before names carried the region, deleted once the function has moved.
  lambdaRoleReplacedResource,
];
