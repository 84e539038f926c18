/**
 * The Lambda tier's resource kinds in creation order (each after everything in its `dependsOn`); the
 * engine deletes in reverse. The tier is present while the stack exists (safety rule 4). The `fargate`
 * record, `dnsRecordResource('fargate')`, belongs to the Fargate tier's list. `api-domain-leftovers` is never
 * wanted: it stands for custom domains an earlier spec made (a renamed one, or `dns` removed).
 */
import { apiDomainResource } from '../apigateway/api-domain';
import { apiDomainLeftoversResource } from '../apigateway/api-domain-leftovers';
import { apiIntegrationResource } from '../apigateway/api-integration';
import { apiMappingResource } from '../apigateway/api-mapping';
import { apiRouteResource } from '../apigateway/api-route';
import { apiStageResource } from '../apigateway/api-stage';
import { dnsRecordResource } from '../route53/dns-record';
import { httpApiResource } from '../apigateway/http-api';
import { lambdaFunctionResource } from '../lambda/lambda-function';
import { lambdaPermissionResource } from '../lambda/lambda-permission';
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
