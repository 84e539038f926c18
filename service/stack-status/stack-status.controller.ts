import { Controller, Get } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '../swagger/decorators';
import { StackRecordsService } from '../state/stack-records.service';
import { stackStatusDocSchema } from './stack-status.schema-doc';
import { type StackStatusView, toStackStatusView } from './stack-status.view';

@ApiTags('stack-status')
@Controller('stack-status')
export class StackStatusController {
  constructor(private readonly records: StackRecordsService) {}

  @Get()
  @ApiOperation({
    summary: "This stack's phase, tier, traffic, conditions, last decision, resources and recent events",
  })
  @ApiOkResponse({ schema: stackStatusDocSchema })
  @ApiNotFoundResponse({ description: 'The stack has no record in the state store' })
  @ApiServiceUnavailableResponse({ description: 'The service was started without LAMBDAFLEX_STACK' })
  async get(): Promise<StackStatusView> {
    return toStackStatusView(await this.records.require());
  }
}
