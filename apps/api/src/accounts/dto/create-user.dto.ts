import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { Role } from '#domain';
import { IsNotBlank } from '../../common/validators.js';

/** Staff accounts; organization members get theirs from POST /organizations/{id}/credentials. */
export class CreateUserDto {
  @ApiProperty({ example: '李伟 (zone coordinator)' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsNotBlank()
  name: string;

  @ApiProperty({ enum: [Role.Admin, Role.Coordinator], example: Role.Coordinator })
  @IsIn([Role.Admin, Role.Coordinator])
  role: Role.Admin | Role.Coordinator;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for coordinators: the zone they coordinate' })
  @ValidateIf((o: CreateUserDto) => o.role === Role.Coordinator)
  @IsUUID()
  zoneId?: string;
}

export class IssueCredentialDto {
  @ApiProperty({ example: '张敏 (logistics)', description: 'Who will use the credential' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsNotBlank()
  name: string;
}
