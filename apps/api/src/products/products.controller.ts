import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { UuidParam } from '../common/param.pipes.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Product } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { CreateProductDto } from './dto/create-product.dto.js';
import { UpdateProductDto } from './dto/update-product.dto.js';
import { ProductView } from './product.view.js';
import { ProductsService } from './products.service.js';

@ApiTags('products')
@ApiBearerAuth()
@Controller('zones/:zoneId/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: ProductView })
  @ApiOperation({ summary: 'Add a product to a zone’s catalogue' })
  async createProduct(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: CreateProductDto): Promise<Product> {
    return this.products.create(p, zoneId, dto);
  }

  @Get()
  @ApiOkResponse({ type: [ProductView], description: 'The zone’s catalogue, readable by everyone in the zone' })
  @ApiOperation({ summary: 'List a zone’s products' })
  async listProducts(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string): Promise<Product[]> {
    return this.products.list(p, zoneId);
  }

  @Patch(':productId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ProductView })
  @ApiOperation({ summary: 'Change a product' })
  async updateProduct(
    @CurrentPrincipal() p: Principal,
    @Param('zoneId', UuidParam) zoneId: string,
    @Param('productId', UuidParam) productId: string,
    @Body() dto: UpdateProductDto,
  ): Promise<Product> {
    return this.products.update(p, zoneId, productId, dto);
  }
}
