import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { PageSlice, PageWindow } from '#store';

export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export function pageWindow(q: PageQuery): { page: number; pageSize: number; skip: number } {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  return { page, pageSize, skip: (page - 1) * pageSize };
}

/** Reads one page through a store method that puts the window into its query, and answers it in the page shape. */
export async function readPage<T>(q: PageQuery, read: (window: PageWindow) => Promise<PageSlice<T>>): Promise<Page<T>> {
  const { page, pageSize, skip } = pageWindow(q);
  const { items, total } = await read({ skip, take: pageSize });
  return { items, page, pageSize, total };
}

export class PageMetaView {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 50 }) pageSize: number;
  @ApiProperty({ example: 1234 }) total: number;
}
