import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '../swagger/decorators';
import { JsonSchemaPipe } from '../validation/json-schema.pipe';
import { type Item, type ItemInput, itemInputSchema, itemSchema } from './item.schema';
import { ItemsService } from './items.service';

// Built once: compiling the schema per request would cost more than the request itself.
const itemInputPipe = new JsonSchemaPipe<ItemInput>(itemInputSchema);

@ApiTags('items')
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  @ApiOperation({ summary: 'List items' })
  @ApiOkResponse({ schema: { type: 'array', items: itemSchema } })
  list(): Item[] {
    return this.items.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one item' })
  @ApiOkResponse({ schema: itemSchema })
  @ApiNotFoundResponse({ description: 'No item with this id' })
  get(@Param('id') id: string): Item {
    return this.items.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create an item' })
  @ApiBody({ schema: itemInputSchema })
  @ApiCreatedResponse({ schema: itemSchema })
  @ApiBadRequestResponse({ description: 'Invalid body; `errors` lists each path and rule' })
  @ApiResponse({ status: 507, description: 'The sample store is full (MAX_ITEMS): delete some first' })
  create(@Body(itemInputPipe) input: ItemInput): Item {
    return this.items.create(input);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace an item' })
  @ApiBody({ schema: itemInputSchema })
  @ApiOkResponse({ schema: itemSchema })
  @ApiBadRequestResponse({ description: 'Invalid body; `errors` lists each path and rule' })
  @ApiNotFoundResponse({ description: 'No item with this id' })
  replace(@Param('id') id: string, @Body(itemInputPipe) input: ItemInput): Item {
    return this.items.replace(id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an item' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No item with this id' })
  remove(@Param('id') id: string): void {
    this.items.remove(id);
  }
}
