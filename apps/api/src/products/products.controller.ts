import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { UuidParam } from '../common/param.pipes.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Product } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { CreateProductDto } from './dto/create-product.dto.js';
import { UpdateProductDto } from './dto/update-product.dto.js';
import { ProductView } from './product.view.js';
import { ProductsService } from './products.service.js';

@ApiTags('products')
@ApiBearerAuth()
@ApiProblems()
@Controller('zones/:zoneId/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: ProductView })
  async create(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: CreateProductDto): Promise<Product> {
    return this.products.create(p, zoneId, dto);
  }

  @Get()
  @ApiOkResponse({ type: [ProductView], description: 'The zone’s catalogue, readable by everyone in the zone' })
  async list(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string): Promise<Product[]> {
    return this.products.list(p, zoneId);
  }

  @Patch(':productId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ProductView })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('zoneId', UuidParam) zoneId: string,
    @Param('productId', UuidParam) productId: string,
    @Body() dto: UpdateProductDto,
  ): Promise<Product> {
    return this.products.update(p, zoneId, productId, dto);
  }
}
