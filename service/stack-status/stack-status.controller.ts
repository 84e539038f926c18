import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '../swagger/decorators';
import { ApiToken } from '../security/api-token';
import { StackRecordsService } from '../state/stack-records.service';
import { stackStatusDocSchema } from './stack-status.schema-doc';
import {
  type PublicStackStatusView,
  type StackStatusView,
  toPublicStackStatusView,
  toStackStatusView,
} from './stack-status.view';

@ApiTags('stack-status')
@Controller('stack-status')
export class StackStatusController {
  constructor(
    private readonly records: StackRecordsService,
    private readonly token: ApiToken,
  ) {}

  @Get()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "This stack's phase, tier, traffic and conditions; with the API token, also the condition messages, last decision, resources and recent events",
  })
  @ApiOkResponse({ schema: stackStatusDocSchema })
  @ApiForbiddenResponse({
    description:
      'An Authorization header on a request the load balancer received over plain HTTP (X-Forwarded-Proto: http): the API takes its token over HTTPS only, and the message says where to send it',
  })
  @ApiNotFoundResponse({ description: 'The stack has no record in the state store' })
  @ApiServiceUnavailableResponse({
    description: 'The service was started without LAMBDAFLEX_STACK, or the state store cannot be read',
  })
  async get(@Req() req: Request): Promise<StackStatusView | PublicStackStatusView> {
    const check = this.token.check(req);
    // A token sent over plain HTTP is refused before anything is read, so that its sender learns to stop;
    // without one, the short view is served over plain HTTP as over HTTPS.
    if (check.kind === 'plain-http' && req.headers.authorization !== undefined) {
      throw check.refusal;
    }
    const record = await this.records.require();
    // A wrong token reads as none: the short view is public anyway, and a 401 here would only help guessing.
    return check.kind === 'valid' ? toStackStatusView(record) : toPublicStackStatusView(record);
  }
}
