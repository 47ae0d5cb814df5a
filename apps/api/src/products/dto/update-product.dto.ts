import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateProductDto } from './create-product.dto.js';

/** The code identifies the product in reports and is fixed once created. */
export class UpdateProductDto extends PartialType(OmitType(CreateProductDto, ['code'] as const)) {}
