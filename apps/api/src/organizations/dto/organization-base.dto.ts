import { ApiProperty } from '@nestjs/swagger';
import { IsLatitude, IsLongitude, IsNumber, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCreditCode, IsNotBlank } from '../../common/validators.js';

/** Fields every organization registers with. */
export class OrganizationBaseDto {
  @ApiProperty({ example: '常州恒源精密机械有限公司', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsNotBlank()
  name: string;

  @ApiProperty({ example: '91320400MA1MXXXX0K'.replace(/X/g, '0').slice(0, 17) + 'X', description: '统一社会信用代码 (GB 32100-2015, check character verified)' })
  @IsCreditCode()
  creditCode: string;

  @ApiProperty({ example: '江苏省常州市武进区经开区长帆路8号', maxLength: 300 })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @IsNotBlank()
  address: string;

  @ApiProperty({ example: 31.7456 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) // stored rounded to 6 decimals (~0.1 m)
  @IsLatitude()
  latitude: number;

  @ApiProperty({ example: 120.0523 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) // stored rounded to 6 decimals (~0.1 m)
  @IsLongitude()
  longitude: number;

  @ApiProperty({ example: '王芳' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsNotBlank()
  contactName: string;

  @ApiProperty({ example: '+86 519 8888 6666' })
  @Matches(/^\+?[0-9 ()-]{5,40}$/, { message: 'contactPhone must be a phone number of digits, spaces, dashes or parentheses' })
  contactPhone: string;
}
