import { Module } from '@nestjs/common';
import { DesiredStateController } from './desired-state.controller';
import { DesiredStateService } from './desired-state.service';
import { SpecValidationPipe } from './spec-validation.pipe';

@Module({
  controllers: [DesiredStateController],
  providers: [DesiredStateService, SpecValidationPipe],
})
export class DesiredStateModule {}
